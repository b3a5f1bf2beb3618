package org.ser4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Turns one JSON record of a given format into zero or more preference pairs. */
interface RecordParser {
  /**
   * @throws BadRecordException naming the field at fault when the record is malformed
   */
  List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options);
}
