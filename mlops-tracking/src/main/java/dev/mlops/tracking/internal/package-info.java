/**
 * Implementation of experiment tracking: the store SPI ({@code TrackingStore}) and its SQL
 * implementation with SQLite and PostgreSQL dialects, schema migrations, the asynchronous
 * metric writer, the filter parser, artifact storage and Tribuo autologging. Not API.
 */
package dev.mlops.tracking.internal;
