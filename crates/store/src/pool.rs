//! A connection pool over either database, for the web server's concurrent requests.

use crate::StoreError;
use crate::db::{Conn, Location};

/// Opens connections for the pool.
#[derive(Debug)]
pub struct Manager(Location);

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = StoreError;

    fn connect(&self) -> Result<Conn, StoreError> {
        Conn::open(&self.0)
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), StoreError> {
        conn.ping()
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        match conn {
            Conn::Sqlite(_) => false,
            Conn::Postgres(client) => client.is_closed(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pool {
    inner: r2d2::Pool<Manager>,
    location: Location,
}

pub type PooledConn = r2d2::PooledConnection<Manager>;

impl Pool {
    pub fn open(location: &Location, size: u32) -> Result<Pool, StoreError> {
        let inner = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(15))
            .build(Manager(location.clone()))?;
        Ok(Pool {
            inner,
            location: location.clone(),
        })
    }

    pub fn get(&self) -> Result<PooledConn, StoreError> {
        Ok(self.inner.get()?)
    }

    pub fn location(&self) -> &Location {
        &self.location
    }
}
