package lifecycle.internal.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a tenant archive as a stream: each table's rows in turn ({@link #table}), then the manifest
 * ({@link #finish}). Holds one row at a time, never a table.
 */
public final class ArchiveWriter {

    private final ZipOutputStream zip;
    private final ObjectMapper json;
    private final List<Manifest.Table> tables = new ArrayList<>();
    private TableSink open;

    public ArchiveWriter(OutputStream out, ObjectMapper json) {
        this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        this.zip.setLevel(Deflater.BEST_SPEED);
        this.json = json;
    }

    /** The rows of one table, written one line each. */
    public final class TableSink {
        private final String name;
        private final List<String> columns;
        private final MessageDigest digest = sha256();
        private long rows;

        private TableSink(String name, List<String> columns) {
            this.name = name;
            this.columns = List.copyOf(columns);
        }

        /** Writes one row (a JSON object on one line, without its line end). */
        public void row(String jsonObject) throws IOException {
            byte[] bytes = (jsonObject + "\n").getBytes(StandardCharsets.UTF_8);
            digest.update(bytes);
            zip.write(bytes);
            rows++;
        }

        public long rows() {
            return rows;
        }

        private Manifest.Table close() throws IOException {
            zip.closeEntry();
            return new Manifest.Table(name, columns, rows, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** Starts the entry of a table (the previous one is closed). */
    public TableSink table(String name, List<String> columns) throws IOException {
        closeTable();
        zip.putNextEntry(new ZipEntry(Manifest.entryOf(name)));
        open = new TableSink(name, columns);
        return open;
    }

    /** Closes the last table, writes the manifest (made from the tables written) and finishes the archive. */
    public Manifest finish(Function<List<Manifest.Table>, Manifest> manifest) throws IOException {
        closeTable();
        Manifest done = manifest.apply(List.copyOf(tables));
        zip.putNextEntry(new ZipEntry(Manifest.ENTRY));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(done));
        zip.closeEntry();
        zip.finish();
        zip.flush();
        return done;
    }

    private void closeTable() throws IOException {
        if (open != null) {
            tables.add(open.close());
            open = null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
