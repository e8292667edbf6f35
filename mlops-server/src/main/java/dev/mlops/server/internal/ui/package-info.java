/**
 * The web UI the tracking server serves under {@code /ui/}: server-rendered pages over the
 * store, each also answered as JSON with {@code ?format=json}, small scripts served from the jar,
 * and uPlot from its WebJar for charts. Not public API.
 */
package dev.mlops.server.internal.ui;
