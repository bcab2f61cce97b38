package analytics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where the next page of an analytics listing starts, handed to clients as an opaque string: the
 * {@code next} of a page, given back as {@code after}. Rankings whose order moves as the shop sells
 * (popularity, stock levels) page by offset; listings in time order page after the last row's sort
 * key, so rows that arrive meanwhile neither repeat nor push others out of the next page.
 */
final class Cursor {
  private static final String OFFSET = "o:";
  private static final String KEY = "k:";

  /** The sort key of a row of a listing in time order: its time and what orders rows within it. */
  record Key(Instant at, String id) {}

  private Cursor() {}

  static String offset(int offset) {
    return encode(OFFSET + offset);
  }

  static String key(Instant at, String id) {
    return encode(KEY + at + " " + id);
  }

  /** The offset a cursor from {@link #offset} holds; IllegalArgumentException for anything else. */
  static int offsetOf(String cursor) {
    String text = decode(cursor, OFFSET);
    try {
      int offset = Integer.parseInt(text);
      if (offset < 0) {
        throw new IllegalArgumentException("negative offset");
      }
      return offset;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an offset", e);
    }
  }

  /** The key a cursor from {@link #key} holds; IllegalArgumentException for anything else. */
  static Key keyOf(String cursor) {
    String text = decode(cursor, KEY);
    int space = text.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("not a key");
    }
    try {
      return new Key(Instant.parse(text.substring(0, space)), text.substring(space + 1));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a key", e);
    }
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor, String kind) {
    String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    if (!text.startsWith(kind)) {
      throw new IllegalArgumentException("a cursor of another kind of listing");
    }
    return text.substring(kind.length());
  }
}
