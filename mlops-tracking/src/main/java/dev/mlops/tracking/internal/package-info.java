/**
 * Implementation of experiment tracking: the store SPI ({@code TrackingStore}) and its SQL
 * implementation with SQLite and PostgreSQL dialects, schema migrations, the asynchronous
 * metric writer, the filter parser, artifact storage and Tribuo autologging. Not API: these types
 * are public only because {@code dev.mlops.tracking} and the project's own tracking server
 * ({@code dev.mlops.server}, released with this module) use them across the package boundary;
 * they may change in any release.
 */
package dev.mlops.tracking.internal;
