package storefront.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An event as the journal holds it, read without the entity's classes: the tools depend on what is
 * stored, not on the code that wrote it. The manifest is the event's class name (Akka's
 * jackson-cbor serializer, uncompressed), with {@code #version} from its second version on.
 *
 * @param name the event's simple class name, e.g. {@code StockChanged}
 * @param payload the event's fields
 */
public record JournalEvent(String name, JsonNode payload) {
  private static final CBORMapper CBOR = new CBORMapper();

  /** The event of a journal row, from its {@code event_ser_manifest} and {@code event_payload}. */
  public static JournalEvent of(String manifest, byte[] payload) {
    String className =
        manifest.contains("#") ? manifest.substring(0, manifest.indexOf('#')) : manifest;
    String name =
        className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    try {
      return new JournalEvent(name, CBOR.readTree(payload));
    } catch (IOException e) {
      throw new UncheckedIOException("a journal event that is not CBOR: " + manifest, e);
    }
  }
}
