package org.ser4j.data.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads '\n'-separated lines of bytes and decodes each as strict UTF-8 on its own, so that one bad
 * line can be reported (or skipped) by number without losing the rest of the file. Lines longer
 * than a bound are read past, never held in memory whole.
 */
public final class Utf8LineReader implements AutoCloseable {
  /** One line: its text, or why it has none. */
  record Line(long number, String text, String problem) {}

  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[1 << 12];
  private long lineNumber;

  Utf8LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    int length = 0;
    boolean tooLong = false;
    boolean sawAny = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!sawAny) {
            return null;
          }
          break;
        }
      }
      sawAny = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int chunk = position - start;
      if (!tooLong) {
        if ((long) length + chunk > maxLineBytes) {
          tooLong = true;
        } else {
          ensureCapacity(length + chunk);
          System.arraycopy(buffer, start, line, length, chunk);
          length += chunk;
        }
      }
      if (position < limit) {
        position++; // the '\n'
        break;
      }
    }
    lineNumber++;
    if (tooLong) {
      return new Line(lineNumber, null, "line longer than " + maxLineBytes + " bytes");
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    try {
      return new Line(
          lineNumber, decoder.decode(ByteBuffer.wrap(line, 0, length)).toString(), null);
    } catch (CharacterCodingException e) {
      return new Line(lineNumber, null, "invalid UTF-8 at byte " + firstInvalidByte(length));
    }
  }

  private int firstInvalidByte(int length) {
    // The decoder stops at the first malformed sequence: report its 1-based byte offset.
    CharsetDecoder probe =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(line, 0, length);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(length + 1);
    java.nio.charset.CoderResult result = probe.decode(in, out, true);
    return result.isError() ? in.position() + 1 : length;
  }

  private void ensureCapacity(int needed) {
    if (needed > line.length) {
      line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
    }
  }

  long linesRead() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
