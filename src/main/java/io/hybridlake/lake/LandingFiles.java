package io.hybridlake.lake;

import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The landing zone {@code <lake>/landing/<table>/} on the lake's own storage (local disk, or ADLS Gen2
 * through the Blob API), so files dropped there are found wherever the lake is: listed, fetched to a
 * local file for the import, then moved to {@code _imported/} beside them. Names starting with '.' or
 * '_' are skipped (uploads in progress, our own folders).
 */
public final class LandingFiles {
    /** A file waiting in a table's landing zone. */
    public record Landed(String table, String name, String path, long size) {
    }

    private final Lake lake;

    LandingFiles(Lake lake) {
        this.lake = lake;
    }

    /** The files directly in the table's landing zone, by name. */
    public List<Landed> list(String table) {
        String dir = directory(table);
        List<Landed> out = new ArrayList<>();
        if (!(lake.io() instanceof RecursiveListing listing)) {
            throw new LakeException("landing/" + table, "this storage cannot list the landing zone");
        }
        try {
            for (FileStatus f : listing.listRecursively(dir)) {
                String relative = f.getPath().substring(f.getPath().indexOf(dir) + dir.length() + 1);
                if (!relative.contains("/") && !relative.startsWith(".") && !relative.startsWith("_")) {
                    out.add(new Landed(table, relative, f.getPath(), f.getSize()));
                }
            }
        } catch (FileNotFoundException e) {
            return List.of(); // no landing zone for this table (yet)
        } catch (IOException e) {
            throw new LakeException("landing/" + table, "cannot list landing/" + table + ": " + e.getMessage(), e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /**
     * The file on local disk for the import: the file itself on a local lake, else a copy in
     * {@code staging} (deleted by the caller through {@link #release}).
     */
    public Path fetch(Landed file, Path staging) {
        if (file.path().startsWith("file:")) {
            return Path.of(URI.create(file.path()));
        }
        try {
            Files.createDirectories(staging);
            Path local = Files.createTempFile(staging, "landing-", "-" + file.name());
            try (InputStream in = lake.io().newInputFile(file.path(), file.size()).newStream()) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
            return local;
        } catch (IOException e) {
            throw new LakeException("landing/" + file.table() + "/" + file.name(), "cannot fetch landing/" + file.table()
                    + "/" + file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a staged copy made by {@link #fetch} (never the landing file itself). */
    public void release(Landed file, Path fetched) {
        if (!file.path().startsWith("file:")) {
            try {
                Files.deleteIfExists(fetched);
            } catch (IOException e) {
                // a staged copy left behind is only disk space in the staging directory, never data
            }
        }
    }

    /** Moves the file to {@code _imported/} beside it: a copy, then the original deleted. */
    public void markImported(Landed file) {
        String target = directory(file.table()) + "/_imported/" + file.name();
        try {
            if (file.path().startsWith("file:")) { // a rename on local disk
                Path to = Path.of(URI.create(target));
                Files.createDirectories(to.getParent());
                Files.move(Path.of(URI.create(file.path())), to, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            lake.io().copyFileAtomically(file.path(), target, true);
            lake.io().delete(file.path());
        } catch (IOException e) {
            throw new LakeException("landing/" + file.table() + "/" + file.name(), "imported landing/" + file.table()
                    + "/" + file.name() + " but cannot move it to _imported/ (the next scan finds it imported already): "
                    + e.getMessage(), e);
        }
    }

    /** Where a file dropped for {@code table} goes (the lake's own path, for the operator). */
    public String directory(String table) {
        return lake.root() + "/landing/" + table;
    }
}
