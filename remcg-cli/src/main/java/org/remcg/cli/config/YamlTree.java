package org.remcg.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import org.remcg.io.DataFormatException;

/**
 * Strict reading of YAML (or JSON) configuration trees: every error is a {@link DataFormatException}
 * naming the file and the key path ({@code engine.dt}, {@code interactions[2].beads}), syntax errors
 * also the line. Unknown keys are errors, so a typo never silently falls back to a default.
 */
public final class YamlTree {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;

    public YamlTree(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Parses the file; an empty file is an error mentioning {@code what} it should contain. */
    public JsonNode read(String what) throws IOException, DataFormatException {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new DataFormatException(file, loc == null ? 0 : loc.getLineNr(), "not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new DataFormatException(file, 0, "the file is empty; it needs " + what);
        }
        return root;
    }

    public DataFormatException error(String path, String problem) {
        return new DataFormatException(file, 0, path + ": " + problem);
    }

    /** Checks that node is a map whose keys are all in allowed. */
    public void keys(JsonNode node, String path, Set<String> allowed) throws DataFormatException {
        if (node == null || !node.isObject()) {
            throw error(path.isEmpty() ? "top level" : path, "must be a map with keys " + String.join(", ", allowed.stream().sorted().toList()));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                throw error(path.isEmpty() ? k : path + "." + k,
                        "unknown key '" + k + "'; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** A name: a string, or a number YAML read as one (quoting is the user's way out). */
    public String text(JsonNode n, String path) throws DataFormatException {
        if (n == null || n.isNull()) {
            throw error(path, "missing");
        }
        if (n.isTextual() || n.isIntegralNumber()) {
            return n.asText();
        }
        throw error(path, "must be a name (quote it if YAML reads it as something else), got " + n);
    }

    public double number(JsonNode n, String path) throws DataFormatException {
        if (n == null || n.isNull()) {
            throw error(path, "missing");
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw error(path, "must be a finite number, got " + n);
        }
        return n.asDouble();
    }

    public double number(JsonNode parent, String key, String path, double fallback) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        return n == null || n.isNull() ? fallback : number(n, join(path, key));
    }

    /** A positive number (strictly greater than zero). */
    public double positive(JsonNode parent, String key, String path, double fallback) throws DataFormatException {
        double v = number(parent, key, path, fallback);
        if (!(v > 0)) {
            throw error(join(path, key), "must be positive, got " + v);
        }
        return v;
    }

    public long integer(JsonNode parent, String key, String path, long fallback, long min, long max) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber()) {
            throw error(join(path, key), "must be a whole number, got " + n);
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw error(join(path, key), "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(JsonNode parent, String key, String path, boolean fallback) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(join(path, key), "must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** A file path relative to the configuration file's directory; null when absent. */
    public Path path(JsonNode parent, String key, String path) throws DataFormatException {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        Path p = Path.of(text(n, join(path, key)));
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    public static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
