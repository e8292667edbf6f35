package dev.mlops.tracking.internal;

/** What a search key refers to. */
public enum Entity {
  METRIC,
  PARAM,
  TAG,
  ATTRIBUTE
}
