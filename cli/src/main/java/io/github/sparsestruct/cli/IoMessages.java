package io.github.sparsestruct.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * File-system errors as one line a user can act on. Java's {@link FileSystemException}s carry only a path as their
 * message ({@code /data/out}); these name the path and the reason ({@code /data/out: permission denied}).
 */
final class IoMessages {
    private IoMessages() {
    }

    /** The reason alone: {@code permission denied}, {@code no such file or folder}, ... */
    static String reason(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileSystemException f) {
            if ("Not a directory".equals(f.getReason())) {
                return "a part of the path is a file, not a folder";
            }
            if ("Is a directory".equals(f.getReason())) {
                return "a folder of that name is in the way";
            }
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The path(s) and the reason for a file-system error; the message itself for any other exception. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException f) {
            String where = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? ""
                    : " -> " + f.getOtherFile()) + ": ";
            return where + reason(e);
        }
        return reason(e);
    }
}
