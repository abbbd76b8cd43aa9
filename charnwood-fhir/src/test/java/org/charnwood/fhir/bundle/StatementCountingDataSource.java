package org.charnwood.fhir.bundle;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real test database, counting the statements prepared on its connections, so a test can
 * check that a large bundle reaches PostgreSQL in a few batched round trips.
 */
final class StatementCountingDataSource {

    private final AtomicInteger statements = new AtomicInteger();
    private final DataSource dataSource;

    StatementCountingDataSource(DataSource target) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, target, args);
                    return result instanceof Connection connection ? counting(connection) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    int reset() {
        return statements.getAndSet(0);
    }

    int count() {
        return statements.get();
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("prepare") || name.equals("createStatement")) {
                        statements.incrementAndGet();
                    }
                    return invoke(method, connection, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
