// SPDX-License-Identifier: MIT
//
// Kernel objects: a message to a kernel object's port is served inside
// mach_msg by the demux registered for its id and answered at once; an id
// nobody serves gets MIG_BAD_ID; a routine may keep the reply right
// (MIG_NO_REPLY) and answer later; task, thread and host ports convert to
// their objects.  The demux here is written by hand, as mig would.

#include "ipc_test.h"
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_tt.h>
#include <mach/mig_errors.h>
#include <kern/task.h>
#include <kern/thread.h>

#define TEST_BASE 7000

#pragma pack(push, 4)
struct req_k { /* kernel layout, as the demux sees it */
    mach_msg_header_t h;
    int32_t value;
};
struct rep_k {
    mach_msg_header_t h;
    kern_return_t ret;
    int32_t result;
};
struct rep_u { /* user layout */
    struct ipc_user_header h;
    kern_return_t ret;
    int32_t result;
};
#pragma pack(pop)

static int test_object = 21;
static struct ipc_port *saved_reply;
static mach_msg_type_name_t saved_type;

// 7000: result = value * object; 7001: reply later; 7002: fails (the stub
// destroys the request); 7003: not served by this demux (mig's MIG_BAD_ID).
static boolean_t
test_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
    struct req_k *req = (struct req_k *)in;
    struct rep_k *rep = (struct rep_k *)out;
    int *obj = NULL;

    out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
    out->msgh_size = sizeof(mig_reply_error_t);
    out->msgh_remote_port = in->msgh_remote_port;
    out->msgh_local_port = IP_NULL;
    out->msgh_id = in->msgh_id + MIG_REPLY_ID_OFFSET;
    rep->ret = KERN_SUCCESS;
    ipc_port_lock(in->msgh_local_port);
    obj = ipc_kobject_get_locked(in->msgh_local_port, IKOT_TEST);
    ipc_port_unlock(in->msgh_local_port);
    switch (in->msgh_id) {
    case TEST_BASE:
        out->msgh_size = sizeof(*rep);
        rep->result = req->value * (obj != NULL ? *obj : -1);
        return TRUE;
    case TEST_BASE + 1:
        saved_reply = in->msgh_remote_port;
        saved_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
        rep->ret = MIG_NO_REPLY;
        return TRUE;
    case TEST_BASE + 2:
        in->msgh_remote_port = IP_NULL;
        in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
        mach_msg_destroy(in);
        rep->ret = KERN_INVALID_ARGUMENT;
        return TRUE;
    default:
        in->msgh_remote_port = IP_NULL;
        in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
        mach_msg_destroy(in);
        rep->ret = MIG_BAD_ID;
        return FALSE;
    }
}

static void
register_once(void)
{
    static bool done;

    if (!done)
        done = ipc_kobject_register_server(test_demux, TEST_BASE, 4, sizeof(struct rep_k)) ==
               KERN_SUCCESS;
}

struct kclient {
    struct ipc_space *space;
    struct ipc_port *kport;
    mach_port_name_t obj, reply;
};

static void
client_init(struct kclient *c)
{
    register_once();
    c->space = ipc_space_create();
    c->kport = ipc_kobject_alloc_port(&test_object, IKOT_TEST);
    ipc_space_lock(c->space);
    (void)ipc_right_copyout(c->space, ipc_port_make_send(c->kport), MACH_MSG_TYPE_PORT_SEND,
                            &c->obj);
    ipc_space_unlock(c->space);
    c->reply = tport(c->space);
}

static mach_msg_return_t
call(struct kclient *c, mach_msg_id_t id, int32_t value)
{
    struct tmsg m;

    tmsg_init(&m.h, sizeof(struct ipc_user_header) + 4, c->obj, MACH_MSG_TYPE_COPY_SEND, c->reply,
              MACH_MSG_TYPE_MAKE_SEND_ONCE, id);
    m.data[0] = (uint32_t)value;
    return tsend(c->space, &m, sizeof(struct ipc_user_header) + 4);
}

static void
client_done(struct kclient *c)
{
    ipc_kobject_destroy_port(c->kport);
    tspace_done(c->space);
}

KTEST(ipc, kobject_request_is_served_and_answered_in_mach_msg)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE, 2), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, TEST_BASE + 100);
    KT_EQ(rep->h.uh_size, sizeof(*rep));
    KT_EQ(rep->ret, KERN_SUCCESS);
    KT_EQ(rep->result, 42);
    KT_EQ(trefs(c.space, c.obj, MACH_PORT_RIGHT_SEND), 1);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_errors_come_back_as_short_replies)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE + 2, 1), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_size, sizeof(mig_reply_error_t) - IKM_HEADER_DELTA);
    KT_EQ(rep->ret, KERN_INVALID_ARGUMENT);
    KT_EQ(call(&c, TEST_BASE + 3, 1), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->ret, MIG_BAD_ID);
    KT_EQ(call(&c, 9999, 1), MACH_MSG_SUCCESS); /* no server for the id at all */
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, 9999 + 100);
    KT_EQ(rep->ret, MIG_BAD_ID);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_no_reply_then_reply_later)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;
    struct rep_k later;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE + 1, 5), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_RCV_TIMED_OUT);
    KT_EQ(saved_type, MACH_MSG_TYPE_PORT_SEND_ONCE);
    memset(&later, 0, sizeof(later));
    later.h.msgh_id = TEST_BASE + 1 + 100;
    later.result = 55;
    KT_EQ(ipc_kobject_reply_later(saved_reply, &later.h, sizeof(later)), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, TEST_BASE + 101);
    KT_EQ(rep->result, 55);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_port_of_a_dead_object_makes_send_rights_dead_names)
{
    IPC_TEST_BEGIN();
    struct kclient c;

    client_init(&c);
    ipc_kobject_destroy_port(c.kport);
    KT_EQ(ttype(c.space, c.obj), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(call(&c, TEST_BASE, 1), MACH_SEND_INVALID_DEST);
    tspace_done(c.space);
    IPC_TEST_END();
}

KTEST(ipc, task_thread_and_host_ports_convert_to_their_objects)
{
    IPC_TEST_BEGIN();
    struct thread *self = current_thread();
    struct task *task, *t2;
    struct thread *th2;
    struct ipc_port *p;

    KT_EQ((uintptr_t)convert_port_to_host(realhost.host_self), (uintptr_t)&realhost);
    KT_EQ((uintptr_t)convert_port_to_host(realhost.host_priv_self), (uintptr_t)&realhost);
    KT_EQ((uintptr_t)convert_port_to_host_priv(realhost.host_self), 0);
    KT_EQ((uintptr_t)convert_port_to_task(realhost.host_self), 0);
    KT_EQ(task_create_internal(NULL, "ipc-convert", &task), KERN_SUCCESS);
    task_reference(task);
    p = convert_task_to_port(task);
    KT_ASSERT(IP_VALID(p));
    t2 = convert_port_to_task(p);
    KT_EQ((uintptr_t)t2, (uintptr_t)task);
    task_deallocate(t2);
    KT_EQ((uintptr_t)convert_port_to_thread(p), 0);
    KT_EQ(task_terminate_internal(task, 0), KERN_SUCCESS);
    KT_EQ((uintptr_t)convert_port_to_task(p), 0); /* the port died with the task */
    ipc_port_release_send(p);
    task_deallocate(task);
    thread_reference(self);
    p = convert_thread_to_port(self);
    KT_ASSERT(IP_VALID(p));
    th2 = convert_port_to_thread(p);
    KT_EQ((uintptr_t)th2, (uintptr_t)self);
    thread_deallocate(th2);
    ipc_port_release_send(p);
    ipc_defer_run();
    IPC_TEST_END();
}

KTEST(ipc, stats_return_to_baseline_after_a_task_lives_and_dies)
{
    IPC_TEST_BEGIN();
    struct task *t;
    struct ipc_space *s;
    mach_port_name_t r;

    KT_EQ(task_create_internal(NULL, "ipc-test", &t), KERN_SUCCESS);
    s = t->itk.itk_space;
    KT_ASSERT(s != NULL);
    r = tport(s);
    KT_EQ(tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, s), r);
    KT_EQ(task_terminate_internal(t, 0), KERN_SUCCESS);
    task_deallocate(t);
    ipc_defer_run();
    IPC_TEST_END();
}
