/* SPDX-License-Identifier: MIT
 *
 * Kernel messages: a message in flight, in the kernel layout.
 *
 * The kernel keeps a message in the layout <mach/message.h> gives under
 * MACH_KERNEL: mach_port_t is a struct ipc_port *, so the header is 32 bytes
 * instead of the user's 24 and a port descriptor carries a pointer where the
 * user's has a name and a pad (both 12 bytes).  Descriptors have the same
 * sizes in both layouts, so the inline data of a kernel message sits 8 bytes
 * after where it sits in the user's: still naturally aligned.  A copied-in
 * message holds a reference and a right for every port it names (header and
 * descriptors); its header's msgh_remote_port is the destination and its
 * bits give the received types (MACH_MSG_TYPE_PORT_*).  ipc_kmsg.c.
 */
#ifndef _IPC_IPC_KMSG_H_
#define _IPC_IPC_KMSG_H_

#include <kern/types.h>
#include <mach/message.h>

struct ipc_space;
struct ipc_port;
struct vm_map;

/* The header of a message in user space (24 bytes), for conversions. */
struct ipc_user_header {
    mach_msg_bits_t uh_bits;
    mach_msg_size_t uh_size;
    mach_port_name_t uh_remote;
    mach_port_name_t uh_local;
    mach_port_name_t uh_voucher;
    mach_msg_id_t uh_id;
};

/* A port descriptor in user space (12 bytes). */
struct ipc_user_port_desc {
    mach_port_name_t upd_name;
    mach_msg_size_t upd_pad1;
    unsigned int upd_pad2 : 16;
    mach_msg_type_name_t upd_disposition : 8;
    mach_msg_descriptor_type_t upd_type : 8;
} __attribute__((packed, aligned(4)));

#define IKM_HEADER_DELTA                                                                           \
    ((mach_msg_size_t)(sizeof(mach_msg_header_t) - sizeof(struct ipc_user_header)))

_Static_assert(sizeof(struct ipc_user_header) == 24, "user header is 24 bytes");
_Static_assert(sizeof(mach_msg_header_t) == 32, "kernel header is 32 bytes");
_Static_assert(IKM_HEADER_DELTA % 8 == 0, "inline data keeps its 8-byte alignment");
_Static_assert(sizeof(struct ipc_user_port_desc) == sizeof(mach_msg_port_descriptor_t),
               "port descriptors have one size in both layouts");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 16, "OOL descriptor: same in both layouts");
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 16, "OOL ports: same in both layouts");
_Static_assert(sizeof(mach_msg_descriptor_t) == 16, "descriptor union is 16 bytes");

/* Largest inline message (user layout) accepted by mach_msg. */
#define IPC_KMSG_MAX_SIZE (128u * 1024u)

/* ikm_flags */
#define IKM_CIRCULAR      0x1 /* carries a receive right whose port leads back to dest */
#define IKM_NOTIFY        0x2 /* a kernel notification (counted in ipc_stats) */
#define IKM_DEFER_DESTROY 0x4 /* on the deferred queue: destroy, not send */

struct ipc_kmsg {
    struct ipc_kmsg *ikm_next; /* on a queue: protected by the queue owner's lock */
    struct ipc_kmsg *ikm_prev;
    mach_msg_size_t ikm_size;    /* room after this struct: message + largest trailer */
    mach_port_seqno_t ikm_seqno; /* given when queued */
    uint32_t ikm_flags;
    uint32_t ikm_pad;
    /* The message follows. */
};

_Static_assert(sizeof(struct ipc_kmsg) % 8 == 0, "the message after ipc_kmsg is 8-aligned");

static inline mach_msg_header_t *
ikm_header(struct ipc_kmsg *kmsg)
{
    return (mach_msg_header_t *)(kmsg + 1);
}

struct ipc_kmsg *ipc_kmsg_alloc(mach_msg_size_t kernel_size);
void ipc_kmsg_free(struct ipc_kmsg *kmsg);
mach_msg_return_t ipc_kmsg_get(uintptr_t uaddr, mach_msg_size_t size, struct ipc_kmsg **kmsgp);
mach_msg_return_t ipc_kmsg_get_from_kernel(const void *msg, mach_msg_size_t size,
                                           struct ipc_kmsg **kmsgp);
mach_msg_return_t ipc_kmsg_copyin(struct ipc_kmsg *kmsg, struct ipc_space *space,
                                  struct vm_map *map);
mach_msg_return_t ipc_kmsg_copyin_from_kernel(struct ipc_kmsg *kmsg);
mach_msg_return_t ipc_kmsg_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
                                mach_msg_timeout_t timeout);
mach_msg_return_t ipc_kmsg_copyout(struct ipc_kmsg *kmsg, struct ipc_space *space,
                                   struct vm_map *map);
void ipc_kmsg_copyout_pseudo(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map);
mach_msg_size_t ipc_kmsg_user_size(struct ipc_kmsg *kmsg);
mach_msg_size_t ipc_kmsg_trailer_size(mach_msg_option_t option);
mach_msg_return_t ipc_kmsg_put(uintptr_t uaddr, struct ipc_kmsg *kmsg, mach_msg_option_t option);
mach_msg_return_t ipc_kmsg_put_to_kernel(void *buf, mach_msg_size_t bufsize, struct ipc_kmsg *kmsg,
                                         mach_msg_option_t option);
void ipc_kmsg_destroy(struct ipc_kmsg *kmsg);
void ipc_kmsg_destroy_right(struct ipc_port *port, mach_msg_type_name_t type);
mach_msg_return_t ipc_kmsg_copyout_to_kernel(struct ipc_kmsg *kmsg);
void ipc_kmsg_clean_body(mach_msg_header_t *msg, bool received);
mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t disposition);

#endif
