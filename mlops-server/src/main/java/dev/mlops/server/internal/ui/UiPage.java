package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A rendered page: its title, body markup and the same data as JSON.
 *
 * @param title the page's title, plain text
 * @param body the page's markup inside {@code <main>}, every value in it escaped
 * @param data what the page shows, as JSON
 */
record UiPage(String title, Html body, ObjectNode data) {}
