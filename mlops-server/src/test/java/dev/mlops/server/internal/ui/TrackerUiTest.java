package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.UiServer;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracker.ui()} with the server module on the class path: a UI on loopback over the tracker's store. */
class TrackerUiTest {
  @Test
  void aNotebookGetsTheUiOfItsStoreAndItsAddress(@TempDir Path dir) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (Tracker tracker = Tracker.builder("sqlite:" + dir.resolve("mlops.db")).artifacts(dir.resolve("a")).build()) {
      tracker.experiment("from-a-notebook").run("r").start().param("lr", 0.1).close();
      java.net.URI address;
      try (UiServer ui = tracker.ui()) {
        address = ui.uri();
        assertEquals("127.0.0.1", address.getHost());
        assertEquals("/ui/", address.getPath());
        assertEquals("mlops UI at " + address, ui.toString());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(address).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("from-a-notebook"), page.body());
      }
      assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(address).build(),
          HttpResponse.BodyHandlers.ofString()), "closing the UI stops its server");
      tracker.run(tracker.experiment("from-a-notebook"), "after", r -> r.param("k", 1));
    }
  }

  @Test
  void aTrackerOfAServerIsPointedAtThatServersUi() {
    try (Tracker remote = Tracker.open("http://127.0.0.1:9")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, remote::ui);
      assertTrue(e.getMessage().contains("http://127.0.0.1:9/ui/"), e.getMessage());
    }
  }
}
