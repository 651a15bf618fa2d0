package io.templateworker.storage.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source the service's repositories use: the pool's connections while the database is up, and an
 * immediate {@link DatabaseUnavailableException} while the {@link DatabaseMonitor} knows it is down, so
 * requests fail in microseconds with a clear message instead of each waiting out the pool's timeout. A
 * connection failure seen here wakes the monitor for an immediate check.
 */
final class GatedDataSource implements DataSource {

    private final DataSource pool;
    private final DatabaseMonitor monitor;

    GatedDataSource(DataSource pool, DatabaseMonitor monitor) {
        this.pool = pool;
        this.monitor = monitor;
    }

    @Override
    public Connection getConnection() throws SQLException {
        String down = monitor.downReason();
        if (down != null) {
            throw new DatabaseUnavailableException(down);
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            monitor.suspect(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the service's pool has fixed credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
