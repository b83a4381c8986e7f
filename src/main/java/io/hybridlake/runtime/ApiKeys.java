package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The HTTP API's function keys. Compared in constant time (a digest of each side, so neither the
 * content nor the length of a key leaks through timing); never logged. Without configured keys one
 * is generated on first start and kept, readable by the owner only, in the key file.
 */
public final class ApiKeys {
    private final List<byte[]> digests;

    private ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(ApiKeys::digest).toList();
    }

    public static ApiKeys of(List<String> keys) {
        List<String> usable = keys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        if (usable.isEmpty()) {
            throw new HybridlakeException("hybridlake.api.keys", "no usable API key configured");
        }
        return new ApiKeys(usable);
    }

    /** The key in {@code file}, created with a new random key if absent. */
    public static ApiKeys fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".api-key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, key + "\n");
                try {
                    Files.createLink(file, temp); // a concurrent first start keeps whichever key was linked first
                } catch (FileAlreadyExistsException raced) {
                    // another process created it
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return of(List.of(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new HybridlakeException(file.toString(), "cannot read or create the API key file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code presented} is one of the keys; takes the same time whichever key matches, if any. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] d = digest(presented);
        boolean match = false;
        for (byte[] key : digests) {
            match |= MessageDigest.isEqual(key, d);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
