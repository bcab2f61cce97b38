package analytics;

import java.util.List;

/**
 * One page of an analytics listing; {@code next}, given as the {@code after} parameter, reads the
 * page after it, and is null on the last page.
 */
public record ResultPage<T>(List<T> items, String next) {}
