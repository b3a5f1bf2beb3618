package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.PreferencePair;

/** Turns one JSON record of a given format into zero or more preference pairs. */
public interface RecordParser {
  /**
   * @throws BadRecordException naming the field at fault when the record is malformed
   */
  List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options);
}
