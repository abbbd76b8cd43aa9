/**
 * The database the platform runs on: an embedded PostgreSQL server by default, an external one
 * when the standard Spring datasource settings are given. Owns no clinical data of its own.
 */
package org.charnwood.app.database;
