/* SPDX-License-Identifier: MIT */
/*
 * Return codes of mig-generated stubs, the short error reply, and the type
 * of a server routine.  Values are the classic ones (XNU's mig_errors.h).
 *
 * An error reply is a non-complex message of exactly a header and a
 * kern_return_t (mig_reply_error_t); its id is the request id + 100.
 */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/kern_return.h>
#include <mach/message.h>

#define MIG_TYPE_ERROR      -300 /* client type check failure */
#define MIG_REPLY_MISMATCH  -301 /* wrong reply message ID */
#define MIG_REMOTE_ERROR    -302 /* server detected error */
#define MIG_BAD_ID          -303 /* bad request message ID */
#define MIG_BAD_ARGUMENTS   -304 /* server type check failure */
#define MIG_NO_REPLY        -305 /* no reply should be sent */
#define MIG_EXCEPTION       -306 /* server raised exception */
#define MIG_ARRAY_TOO_LARGE -307 /* array not large enough */
#define MIG_SERVER_DIED     -308 /* server died */
#define MIG_TRAILER_ERROR   -309 /* trailer has an unknown format */

/* The offset between a request id and its reply id. */
#define MIG_REPLY_ID_OFFSET 100

typedef struct {
    mach_msg_header_t Head;
    kern_return_t RetCode;
} mig_reply_error_t;

/* Every reply of a routine starts like this. */
typedef mig_reply_error_t mig_reply_header_t;

/* A server stub: unpack InHeadP, call the implementation, fill OutHeadP. */
typedef void (*mig_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
typedef mig_routine_t mig_stub_routine_t;

#endif /* _MACH_MIG_ERRORS_H_ */
