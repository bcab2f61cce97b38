package common;

import akka.actor.typed.ActorSystem;
import akka.serialization.SerializationExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An event (or snapshot) as an earlier version of the shop stored it: the journal's columns
 * persistence_id, seq_nr, ser_id, ser_manifest and payload. Fixture files under
 * src/test/resources/events/ hold one per line, tab-separated, the payload in base64; lines
 * starting with # are comments. See events/README.md.
 */
public record StoredEvent(
    String persistenceId, long seqNr, int serializerId, String manifest, byte[] payload) {

  /** The stored events of a fixture file on the test classpath, in file order. */
  public static List<StoredEvent> load(String resource) {
    try (InputStream in = StoredEvent.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(resource + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(StoredEvent::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StoredEvent parse(String line) {
    String[] columns = line.split("\t");
    if (columns.length != 5) {
      throw new IllegalArgumentException("expected 5 tab-separated columns: " + line);
    }
    return new StoredEvent(
        columns[0],
        Long.parseLong(columns[1]),
        Integer.parseInt(columns[2]),
        columns[3],
        Base64.getDecoder().decode(columns[4]));
  }

  /**
   * Read back as the journal reads it: by serializer id and manifest, through the serializer the
   * system has configured (its migrations included).
   */
  public Object deserialize(ActorSystem<?> system) {
    return SerializationExtension.get(system.classicSystem())
        .deserialize(payload, serializerId, manifest)
        .get();
  }
}
