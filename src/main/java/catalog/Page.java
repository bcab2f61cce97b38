package catalog;

import java.util.List;

/** One page of a listing; page numbers start at 0. */
public record Page<T>(List<T> items, int page, int size, long total) {}
