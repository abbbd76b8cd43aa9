package org.charnwood.app.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * This server's hold on its data folder, for as long as it runs its embedded PostgreSQL there: an exclusive lock on a
 * file in the folder, which the operating system releases when the process ends, however it ends. A second server
 * started on the same folder is refused at once, saying so, rather than failing inside the database library after a
 * minute's wait; and while it is held, a PostgreSQL left running in the folder can only be one whose server died
 * ({@link LeftoverServer}).
 */
final class DataFolderLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder, or throws saying that another server has it. */
    static DataFolderLock take(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve("charnwood.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another Charnwood server is running on the data folder " + folder
                    + " (it holds " + file.getFileName() + "): stop it, or give this one a folder of its own "
                    + "(CHARNWOOD_DATA_DIR)");
        }
        return new DataFolderLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
