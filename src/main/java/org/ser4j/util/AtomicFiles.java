package org.ser4j.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file beside
 * the target, is flushed to disk, then renamed over the target in one step.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What fills the file. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (var channel =
              java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
          OutputStream out =
              new java.io.BufferedOutputStream(
                  java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
        writer.write(out);
        out.flush();
        channel.force(true);
      }
      readableByAll(tmp);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Like {@link #write}, gzip-compressed when the target's name ends in .gz. */
  public static void writeGzipByName(Path target, Writer writer) throws IOException {
    if (!target.getFileName().toString().endsWith(".gz")) {
      write(target, writer);
      return;
    }
    write(
        target,
        raw -> {
          java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(raw, 1 << 16);
          writer.write(gz);
          gz.finish();
        });
  }

  /** Temporary files are created owner-only; the finished file gets the usual rw-r--r--. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Makes {@code target} a copy of directory {@code source}: copied next to it under a temporary
   * name, then renamed into place (a previous {@code target} is renamed away first and deleted
   * last), so a reader finds the old copy or the whole new one, never a half-written directory.
   */
  public static void copyDirectory(Path source, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try (var files = Files.walk(source)) {
      for (Path from : files.toList()) {
        Path to = tmp.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
      Files.delete(old);
      Files.move(target, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  /** Deletes {@code dir} and all below it, where it exists. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
