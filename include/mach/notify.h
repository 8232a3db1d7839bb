/* SPDX-License-Identifier: MIT */
/*
 * Message ids of kernel notifications (classic Mach values).  mig-generated
 * user stubs recognise MACH_NOTIFY_SEND_ONCE in place of a reply: the server
 * destroyed the reply right without answering (MIG_SERVER_DIED).
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/message.h>
#include <mach/port.h>

#define MACH_NOTIFY_FIRST          0100
#define MACH_NOTIFY_PORT_DELETED   (MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_MSG_ACCEPTED   (MACH_NOTIFY_FIRST + 002)
#define MACH_NOTIFY_PORT_DESTROYED (MACH_NOTIFY_FIRST + 005)
#define MACH_NOTIFY_NO_SENDERS     (MACH_NOTIFY_FIRST + 006)
#define MACH_NOTIFY_SEND_ONCE      (MACH_NOTIFY_FIRST + 007)
#define MACH_NOTIFY_DEAD_NAME      (MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST           (MACH_NOTIFY_FIRST + 015)

/*
 * The notification messages as a receiver sees them (the requests of
 * notify.defs; XNU's type and field names, without NDR record or trailer:
 * a Quay message carries neither unless asked for).  The kernel sends each
 * through the send-once right given to mach_port_request_notification(), so
 * a received one has msgh_remote_port MACH_PORT_NULL and msgh_local_port the
 * name of the notify port.
 */
typedef struct {
    mach_msg_header_t not_header;
    mach_port_name_t not_port; /* the name that was deleted */
} mach_port_deleted_notification_t;

typedef struct {
    mach_msg_header_t not_header;
    mach_msg_body_t not_body;            /* one descriptor */
    mach_msg_port_descriptor_t not_port; /* the receive right, handed back */
} mach_port_destroyed_notification_t;

typedef struct {
    mach_msg_header_t not_header;
    mach_port_mscount_t not_count; /* the port's make-send count */
} mach_no_senders_notification_t;

typedef struct {
    mach_msg_header_t not_header;
} mach_send_once_notification_t;

typedef struct {
    mach_msg_header_t not_header;
    mach_port_name_t not_port; /* the name that is now a dead name */
} mach_dead_name_notification_t;

#ifndef MACH_KERNEL
_Static_assert(sizeof(mach_port_deleted_notification_t) == 28, "port-deleted: header + name");
_Static_assert(sizeof(mach_port_destroyed_notification_t) == 40,
               "port-destroyed: header + body + port descriptor");
_Static_assert(sizeof(mach_no_senders_notification_t) == 28, "no-senders: header + count");
_Static_assert(sizeof(mach_send_once_notification_t) == 24, "send-once: header only");
_Static_assert(sizeof(mach_dead_name_notification_t) == 28, "dead-name: header + name");
#endif

#endif /* _MACH_NOTIFY_H_ */
