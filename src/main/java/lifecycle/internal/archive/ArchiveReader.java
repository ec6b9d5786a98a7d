package lifecycle.internal.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a tenant archive as a stream, in the order {@link ArchiveWriter} wrote it: the tables' rows one line at a time
 * ({@link #nextTable}), counting and digesting each entry, then the manifest, against which {@link #verify} checks every
 * table. The caller loads rows as they come, in a transaction it rolls back when anything fails: a truncated or altered
 * archive is only known to be one at its end. Lines are bounded ({@value #MAX_LINE} bytes), and so is the manifest.
 */
public final class ArchiveReader implements AutoCloseable {

    /** The longest row line taken. */
    public static final int MAX_LINE = 8 * 1024 * 1024;
    static final int MAX_MANIFEST = 4 * 1024 * 1024;

    private final ZipInputStream zip;
    private final ObjectMapper json;
    private final List<Read> read = new ArrayList<>();
    private TableRows current;
    private Manifest manifest;

    /** A table as it was read: its rows and the digest of its entry. */
    public record Read(String name, long rows, String sha256) {}

    public ArchiveReader(InputStream in, ObjectMapper json) {
        this.zip = new ZipInputStream(in, StandardCharsets.UTF_8);
        this.json = json;
    }

    /** The rows of one table entry. */
    public final class TableRows {
        private final String name;
        private final MessageDigest digest = ArchiveWriter.sha256();
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long rows;
        private boolean ended;

        private TableRows(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The next row's JSON text, or null at the end of the table. */
        public String nextLine() throws ArchiveException {
            if (ended) {
                return null;
            }
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == limit && !fill()) {
                    ended = true;
                    if (line != null && line.size() > 0) {
                        throw new ArchiveException(name, "the rows of " + name + " end in the middle of a line");
                    }
                    return null;
                }
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        String text;
                        if (line == null) {
                            text = new String(buffer, position, i - position, StandardCharsets.UTF_8);
                        } else {
                            line.write(buffer, position, i - position);
                            text = line.toString(StandardCharsets.UTF_8);
                        }
                        position = i + 1;
                        rows++;
                        return text;
                    }
                }
                if (line == null) {
                    line = new ByteArrayOutputStream();
                }
                line.write(buffer, position, limit - position);
                position = limit;
                if (line.size() > MAX_LINE) {
                    throw new ArchiveException(name, "a row of " + name + " is longer than " + MAX_LINE + " bytes");
                }
            }
        }

        private boolean fill() throws ArchiveException {
            try {
                int n = zip.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return false;
                }
                digest.update(buffer, 0, n);
                position = 0;
                limit = n;
                return true;
            } catch (IOException e) {
                throw new ArchiveException(name, "the entry of " + name + " cannot be read (the archive is truncated or damaged): "
                        + e.getMessage(), e);
            }
        }

        private Read finish() throws ArchiveException {
            while (nextLine() != null) {
                // the caller stopped early: the rest still counts for the digest
            }
            return new Read(name, rows, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** The next table's rows, or empty when the manifest comes (it is then read, see {@link #manifest()}). */
    public Optional<TableRows> nextTable() throws ArchiveException {
        String after = current == null ? null : current.name;
        if (current != null) {
            read.add(current.finish());
            current = null;
        }
        ZipEntry entry;
        try {
            entry = zip.getNextEntry();
        } catch (ZipException e) {
            throw new ArchiveException(after, "the archive is damaged" + (after == null ? "" : " after the table " + after) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ArchiveException(after, "the archive cannot be read" + (after == null ? "" : " after the table " + after) + ": " + e.getMessage(), e);
        }
        if (entry == null) {
            throw new ArchiveException(after, after == null ? "the archive is empty or not a tenant archive (no manifest)"
                    : "the archive ends after the table " + after + ": the tables after it and the manifest are missing");
        }
        String name = entry.getName();
        if (name.equals(Manifest.ENTRY)) {
            manifest = readManifest();
            return Optional.empty();
        }
        if (!name.startsWith(Manifest.TABLE_PREFIX) || !name.endsWith(Manifest.TABLE_SUFFIX)) {
            throw new ArchiveException(null, "the archive has an entry that is neither a table nor the manifest: " + printable(name));
        }
        String table = name.substring(Manifest.TABLE_PREFIX.length(), name.length() - Manifest.TABLE_SUFFIX.length());
        if (!table.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new ArchiveException(null, "the archive has a table entry with an invalid name: " + printable(name));
        }
        if (read.stream().anyMatch(r -> r.name().equals(table))) {
            throw new ArchiveException(table, "the archive holds the table " + table + " twice");
        }
        current = new TableRows(table);
        return Optional.of(current);
    }

    /** The manifest, once {@link #nextTable} has reached it. */
    public Manifest manifest() {
        if (manifest == null) {
            throw new IllegalStateException("the manifest comes after every table");
        }
        return manifest;
    }

    /**
     * Checks what was read against the manifest: the same tables in the same order, each with the rows and digest the
     * manifest gives. Fails naming the first table that differs.
     */
    public void verify() throws ArchiveException {
        Manifest m = manifest();
        List<String> expected = m.tables().stream().map(Manifest.Table::name).toList();
        for (Read table : read) {
            Optional<Manifest.Table> listed = m.tables().stream().filter(t -> t.name().equals(table.name())).findFirst();
            if (listed.isEmpty()) {
                throw new ArchiveException(table.name(), "the table " + table.name() + " is in the archive but not in its manifest");
            }
            if (listed.get().rows() != table.rows()) {
                throw new ArchiveException(table.name(), "the table " + table.name() + " has " + table.rows()
                        + " rows where the manifest says " + listed.get().rows());
            }
            if (!table.sha256().equalsIgnoreCase(String.valueOf(listed.get().sha256()))) {
                throw new ArchiveException(table.name(), "the rows of " + table.name() + " do not match their checksum in the manifest");
            }
        }
        for (String name : expected) {
            if (read.stream().noneMatch(r -> r.name().equals(name))) {
                throw new ArchiveException(name, "the manifest lists the table " + name + " but the archive does not hold it");
            }
        }
        try {
            if (zip.getNextEntry() != null) {
                throw new ArchiveException(null, "the archive has entries after its manifest");
            }
        } catch (IOException ignored) {
            // what follows the manifest is the zip's directory, which a stream does not need
        }
        long total = read.stream().mapToLong(Read::rows).sum();
        if (total != m.rows()) {
            throw new ArchiveException(null, "the archive holds " + total + " rows where the manifest says " + m.rows());
        }
    }

    /** The tables read so far, in order. */
    public List<Read> read() {
        return List.copyOf(read);
    }

    private Manifest readManifest() throws ArchiveException {
        try {
            byte[] bytes = zip.readNBytes(MAX_MANIFEST + 1);
            if (bytes.length > MAX_MANIFEST) {
                throw new ArchiveException(null, "the manifest is longer than " + MAX_MANIFEST + " bytes");
            }
            Manifest read = json.readValue(bytes, Manifest.class);
            if (read.format() != Manifest.FORMAT || read.tables() == null || read.scope() == null) {
                throw new ArchiveException(null, "the manifest is not of format " + Manifest.FORMAT);
            }
            return read;
        } catch (IOException e) {
            throw new ArchiveException(null, "the manifest cannot be read (the archive is truncated or damaged): " + e.getMessage(), e);
        }
    }

    private static String printable(String name) {
        String cut = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
