package dev.mlops.lifecycle;

/** What a pass or a review did, as its decision record says. */
public enum Outcome {
  /** The champion alias moved to the candidate. */
  PROMOTED,
  /** The candidate passed the gate and serves in shadow or as a canary until a review judges it. */
  ON_TRIAL,
  /** The candidate failed the gate, or its online trial; the champion stays. */
  REJECTED,
  /** The data failed its checks; nothing was trained. */
  INVALID_DATA,
  /** The promoted model's monitored quality fell below the gate; the champion alias moved back. */
  ROLLED_BACK,
  /** Nothing changed since an earlier pass (data, configuration, code); nothing was done. */
  UNCHANGED,
  /** Another process holds the life cycle's lock and is running a pass. */
  BUSY,
  /** A review found nothing to change. */
  KEPT
}
