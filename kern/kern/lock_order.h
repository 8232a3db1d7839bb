/* SPDX-License-Identifier: MIT
 *
 * The kernel's lock order, written once.  A CPU may take a lock only if its
 * rank is greater than that of every lock it already holds.  Ranks of locks
 * that are never nested with each other may be equal.  Add new locks here,
 * in the place the code needs them, with a word on why.
 */
#ifndef _KERN_LOCK_ORDER_H_
#define _KERN_LOCK_ORDER_H_

enum lock_rank {
    /* ktests of the checker itself (test/kern/lock_*.c, crash=lockorder). */
    LOCK_RANK_TEST_OUTER = 10,
    LOCK_RANK_TEST_INNER = 11,

    /* IPC (kern/ipc/README.md), outermost first: a task's or thread's
     * special-port slots, an IPC space (its entry table), one port, one port
     * set, the kobject server table, the deferred-destruction queue.  The
     * order is GNU Mach's: space before port before set.  IPC code never
     * holds two ports, two spaces or two sets at once.  All IPC locks rank
     * below the memory allocators, so entries, requests and messages may be
     * allocated and freed with them held; the scheduler's locks must rank
     * above them, because receivers and senders assert_wait() and wake
     * each other with a port or set lock held. */
    LOCK_RANK_IPC_ITK = 90,      /* ipc_task.itk_lock, ipc_thread.ith_lock */
    LOCK_RANK_IPC_SPACE = 100,   /* ipc_space.is_lock */
    LOCK_RANK_IPC_PORT = 110,    /* ipc_port.ip_lock */
    LOCK_RANK_IPC_PSET = 120,    /* ipc_pset.ips_lock: a member port's messages queue here */
    LOCK_RANK_IPC_KOBJECT = 130, /* the kobject server table */
    LOCK_RANK_IPC_REAPER = 140,  /* the queue of messages awaiting destruction */

    /* Task address spaces (kern/vm/README.md).  A map lock is held briefly
     * (never across a fault or a page allocation for data); under it the
     * map allocates entries (ZONE) and changes its pmap (PMAP).  An
     * object's lock guards its resident pages; the page allocator is
     * called with it dropped.  Above IPC, so that IPC code may work on a
     * map (out-of-line memory) with its own locks held; VM code never calls
     * into IPC with these held.  Below kernel memory, so that map and
     * object code may allocate while holding them.  Take a map lock with
     * no task or thread lock held. */
    LOCK_RANK_VM_MAP = 170, /* one vm_map: its entries, size, timestamp */
    /* The list of external objects by pager port (vm/memory_object.c).
     * Only references are taken under it (atomics); no other lock. */
    LOCK_RANK_MEMORY_OBJECT = 175,
    /* One object's pages and shadow link.  Object locks are never nested:
     * shadow chains are walked one lock at a time, holding references, and
     * collapse holds only the upper object's lock (the lower one, with no
     * other reference, is unreachable).  Taken under a map lock by fork
     * (collapse before marking needs-copy); frees pages and objects (PAGE,
     * ZONE) while held. */
    LOCK_RANK_VM_OBJECT = 180,
    /* The paging queues (vm_page.c): active and inactive pages and their
     * counts.  Taken under an object lock when a page enters or leaves an
     * object; nothing is taken under it.  Below PMAP, so that the pageout
     * daemon (next issue) can ask the pmap about reference bits while it
     * holds the queues; it will take object locks under it only with a
     * try-lock, as Mach's does. */
    LOCK_RANK_VM_PAGE_QUEUE = 190,
    /* The pageout daemon's state (vm/vm_pageout.c): the default pager's
     * port, the paging task, the round counters.  Taken with no VM lock
     * held; waits and wakeups happen under it. */
    LOCK_RANK_PAGEOUT = 195,

    /* Kernel memory (kern/vm/README.md).  Each allocator may call the ones
     * below it with its own lock held: the arena takes its extent records
     * from a zone under KMEM, a zone grows from the page allocator under
     * ZONE, and the kernel pmap takes pages for page tables under KPMAP.
     * ZONE_LIST is held while reading each zone's counters. */
    LOCK_RANK_KMEM = 200,      /* kernel virtual arena */
    LOCK_RANK_ZONE_LIST = 250, /* the list of all zones */
    /* The pv lists of all pages (arch pmap.c): taken before any user pmap's
     * lock when translations come and go; its entries come from their zone
     * under it, so it ranks below ZONE.  The pageout daemon asks about
     * reference bits with the page queues held (VM_PAGE_QUEUE < PV). */
    LOCK_RANK_PV = 290,
    LOCK_RANK_ZONE = 300,  /* one zone's slabs and counters */
    LOCK_RANK_PMAP = 340,  /* one user pmap's page tables; page-table pages
                            * come from the page allocator under it.
                            * Never nested with KPMAP. */
    LOCK_RANK_KPMAP = 350, /* the kernel pmap's arena page tables */
    LOCK_RANK_PAGE = 400,  /* physical page allocator */

    /* Execution (kern/kern/README.md).  A task's lock is held while its
     * threads are told to terminate, suspend or resume, which wakes and
     * interrupts waits: so it ranks below the wait queues.  The user-address
     * wait buckets (quay_wait) wake threads while held.  The reaper list is
     * taken with nothing else held.  A wait-queue bucket is held while a
     * waiter's thread lock is taken (thread_wakeup), and a thread lock while
     * its run queue's is (making it ready, switching it out); callout
     * timeouts are armed and cancelled under the thread lock. */
    LOCK_RANK_TASK = 500, /* one task: threads list, suspend count, life cycle */
    /* A device object's open count (kern/device/device_object.c); nothing is
     * taken under it. */
    LOCK_RANK_DEVICE = 520,
    /* The virtio-blk disk's busy flag (kern/device/virtio_blk.c): the
     * request in flight is owned by whoever set it; waiters assert_wait
     * under it, so it ranks below the wait queues. */
    LOCK_RANK_VIRTIO_BLK = 540,
    LOCK_RANK_QUAY_WAIT = 560, /* one bucket of quay_wait's user-address waiters */
    LOCK_RANK_REAPER = 580,    /* halted threads waiting for their stacks to be freed */
    LOCK_RANK_WAITQ = 600,     /* one bucket of the hashed event wait queues */
    LOCK_RANK_THREAD = 620,    /* one thread: state, wait fields */
    LOCK_RANK_RUNQ = 640,      /* one CPU's run queue */

    /* Per-CPU timer callout queue.  Inner: callout_schedule/cancel are
     * called with object locks held (e.g. a thread's timeout), and nothing
     * but the console is taken under it; callout functions run with it
     * dropped, so they may take any lock. */
    LOCK_RANK_CALLOUT = 900,
    /* PCI configuration space (0xCF8/0xCFC, kern/device/pci.c): the
     * address and data ports are one access; nothing is taken under it. */
    LOCK_RANK_PCI = 920,
    /* The interrupt handler table (arch trap.c): taken only to register or
     * unregister a handler, possibly under a driver's own lock; nothing is
     * taken under it. */
    LOCK_RANK_INTR = 950,
    LOCK_RANK_CONSOLE = 1000, /* innermost: printing is allowed anywhere */
};

#endif
