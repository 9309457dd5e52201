package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;

/** The CLI's JSON result files (density and dynamics fits, scores, comparisons): indented, written atomically. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Writes value (maps, lists, arrays, numbers, strings) as indented JSON, atomically. */
    static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, o -> MAPPER.writeValue(o, value));
    }

    /** Reads a JSON file; a syntax error is a {@link DataFormatException} naming the file and the line. */
    static JsonNode read(Path file) throws IOException, DataFormatException {
        return YamlTree.readTree(MAPPER, file, "JSON");
    }
}
