package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Works out who is making a request from its verified credentials. The one place a {@link Requester} is
 * made, so every capability sees the same caller the same way.
 */
public interface RequesterSource {

    Requester current(HttpServletRequest request);
}
