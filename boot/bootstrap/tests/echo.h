/* SPDX-License-Identifier: MIT */
/*
 * The tiny protocol between the name service's test programs
 * (lookup_client.c, register_server.c): the server registers a port under
 * ECHO_SERVICE and answers each ECHO_ID request, which carries a send-once
 * reply right, with an empty message of id ECHO_ID + 100.
 */
#ifndef NS_TEST_ECHO_H
#define NS_TEST_ECHO_H

#define ECHO_SERVICE "quay.test.echo"
#define ECHO_ID      4242

#endif
