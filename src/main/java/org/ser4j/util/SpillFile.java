package org.ser4j.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file in a spill directory whose regions are mapped into memory (off the heap): what a driver
 * holds per pick or per pool pair, where millions would crowd its heap. The file is made with the
 * first mapping and deleted as it is opened, so nothing is left behind, even by a crash; the
 * mappings outlive its channel, which is closed when nothing holds this object.
 */
public final class SpillFile {
  private static final java.lang.ref.Cleaner CLOSER = java.lang.ref.Cleaner.create();
  private final Path dir;
  private final String prefix;
  private FileChannel channel;

  /** A file of {@code dir}, its name starting with {@code prefix}, made when first mapped. */
  public SpillFile(Path dir, String prefix) {
    this.dir = dir;
    this.prefix = prefix;
  }

  /** Bytes {@code offset} to {@code offset + length} of the file, read-write, zeros until set. */
  public synchronized ByteBuffer map(long offset, int length) {
    try {
      if (channel == null) {
        Files.createDirectories(dir);
        Path f = Files.createTempFile(dir, prefix, ".bin");
        channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
          Files.delete(f); // the open channel keeps it: gone when the process is
        } catch (IOException e) {
          f.toFile().deleteOnExit(); // where an open file cannot be deleted
        }
        FileChannel c = channel;
        CLOSER.register(
            this,
            () -> {
              try {
                c.close();
              } catch (IOException ignored) {
                // the process ends with it
              }
            });
      }
      return channel.map(FileChannel.MapMode.READ_WRITE, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill to " + dir, e);
    }
  }
}
