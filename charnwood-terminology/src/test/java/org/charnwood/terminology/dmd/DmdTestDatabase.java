package org.charnwood.terminology.dmd;

import org.charnwood.terminology.testing.TerminologyTestDatabase;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The dm+d tests' view of the module's one test PostgreSQL ({@link TerminologyTestDatabase}, migrated with the
 * terminology migrations the application runs); {@link #reset()} empties only the {@code dmd} schema.
 */
final class DmdTestDatabase {

    private static DmdTestDatabase instance;

    private final TerminologyTestDatabase database;
    private final DataSource dataSource;

    private DmdTestDatabase(TerminologyTestDatabase database) {
        this.database = database;
        this.dataSource = database.dataSource();
    }

    static synchronized DmdTestDatabase get() {
        if (instance == null) {
            instance = new DmdTestDatabase(TerminologyTestDatabase.get());
        }
        return instance;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String jdbcUrl() {
        return database.jdbcUrl();
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$ declare t text; begin
                      for t in select tablename from pg_tables where schemaname = 'dmd' loop
                        execute 'truncate table dmd.' || quote_ident(t) || ' restart identity cascade';
                      end loop;
                    end $$""");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        return database.count(sql);
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
