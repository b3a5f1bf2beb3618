package org.ser4j.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.ser4j.util.AtomicFiles;

/**
 * One self-contained HTML page (styles and PNG plots inline, no script, nothing fetched): the
 * report.html of a run, an experiment or a best-of-n. Text is escaped; tables carry ids so that
 * tests (and readers' scripts) find them.
 */
public final class HtmlPage {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlPage(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  public HtmlPage heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table with {@code id}; each row's cells as text. */
  public HtmlPage table(String id, List<String> header, List<List<String>> rows) {
    return table(id, header, rows, -1);
  }

  /** A table with {@code id} whose row {@code marked} (0-based; -1: none) is marked "kept". */
  public HtmlPage table(String id, List<String> header, List<List<String>> rows, int marked) {
    body.append("<table id=\"").append(escape(id)).append("\">\n<thead><tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr></thead>\n<tbody>\n");
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      body.append(r == marked ? "<tr class=\"kept\">" : "<tr>");
      row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /**
   * A table of the objects in {@code rows} (a JSON array), one row each: their numbers and texts,
   * nested objects flattened one level as {@code outer.inner}; arrays left out. {@code columns}
   * picks and orders the columns (null: all of the first row's).
   */
  public HtmlPage table(
      String id, com.fasterxml.jackson.databind.JsonNode rows, List<String> columns) {
    List<String> header = new java.util.ArrayList<>();
    List<java.util.Map<String, String>> flat = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode row : rows) {
      java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
      row.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isObject()) {
                  e.getValue()
                      .fields()
                      .forEachRemaining(
                          in -> {
                            if (in.getValue().isValueNode()) {
                              cells.put(e.getKey() + "." + in.getKey(), cell(in.getValue()));
                            }
                          });
                } else if (e.getValue().isValueNode()) {
                  cells.put(e.getKey(), cell(e.getValue()));
                }
              });
      if (header.isEmpty()) {
        header.addAll(columns != null ? columns : List.copyOf(cells.keySet()));
      }
      flat.add(cells);
    }
    List<List<String>> out = new java.util.ArrayList<>();
    for (java.util.Map<String, String> cells : flat) {
      out.add(header.stream().map(h -> cells.getOrDefault(h, "-")).toList());
    }
    return table(id, header, out);
  }

  /** A JSON value as a table cell: numbers to 4 decimals, null as "-". */
  public static String cell(com.fasterxml.jackson.databind.JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return String.format(java.util.Locale.ROOT, "%.4f", v.asDouble());
    }
    return v.asText();
  }

  /** {@code png} inline (base64), so the page opens anywhere; nothing if the file is missing. */
  public HtmlPage image(Path png, String alt) throws IOException {
    if (Files.isRegularFile(png)) {
      body.append("<figure><img alt=\"")
          .append(escape(alt))
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png)))
          .append("\"><figcaption>")
          .append(escape(alt))
          .append("</figcaption></figure>\n");
    }
    return this;
  }

  /** Preformatted text (settings as JSON). */
  public HtmlPage pre(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /** Links to files beside the page, by their relative names (those that exist). */
  public HtmlPage links(Path dir, List<String> names) {
    body.append("<ul class=\"files\">\n");
    for (String name : names) {
      if (Files.exists(dir.resolve(name))) {
        body.append("<li><a href=\"")
            .append(escape(name))
            .append("\">")
            .append(escape(name))
            .append("</a></li>\n");
      }
    }
    body.append("</ul>\n");
    return this;
  }

  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n<style>"
        + "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;"
        + "text-align:right}th{background:#f4f4f4}tr.kept{background:#e8f5e9;font-weight:bold}"
        + "img{max-width:100%}pre{background:#f8f8f8;padding:1em;overflow:auto}"
        + "</style></head><body>\n"
        + body
        + "</body></html>\n";
  }

  /** Writes the page to {@code file} (temporary file, then rename). */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, html());
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
