// SPDX-License-Identifier: MIT
//
// copyin, copyout, copyinstr (kern/copyio.h) for x86-64, and their fault
// recovery.
//
// Each first checks that the whole range lies in user space [USER_MIN,
// USER_MAX) without wrapping -- which also rules out kernel and
// non-canonical addresses, so the copy can only page-fault, never #GP --
// then copies with the instructions in copyio.S.  A page fault there reaches
// copyio_fault() through trap.c: if the interrupted code had interrupts on
// (it holds no spinlock) and the address is a user one, vm_fault() gets a
// chance to map the page (lazily allocated or paged-out memory) and the copy
// resumes; otherwise the copy returns KERN_INVALID_ADDRESS.  Called with a
// spinlock held, a copy therefore fails on any page that is not resident
// rather than sleeping: quay_wait relies on that.

#include <kern/copyio.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/cpufunc.h>
#include <machine/trap.h>
#include <machine/vmparam.h>
#include <vm/vm_fault.h>

kern_return_t copy_user(void *dst, const void *src, size_t len);
long copy_user_str(char *dst, const char *src, size_t max);
extern char copy_user_begin[], copy_user_end[], copy_user_fault[];
extern char copy_user_str_begin[], copy_user_str_end[], copy_user_str_fault[];

struct copyio_fixup {
    const char *begin, *end, *fixup;
};

static const struct copyio_fixup copyio_fixups[] = {
    {copy_user_begin, copy_user_end, copy_user_fault},
    {copy_user_str_begin, copy_user_str_end, copy_user_str_fault},
};

// True when [uaddr, uaddr + len) is a non-empty range inside user space.
static bool
user_range_ok(uintptr_t uaddr, size_t len)
{
    return uaddr >= USER_MIN && uaddr < USER_MAX && len <= USER_MAX - uaddr;
}

kern_return_t
copyin(uintptr_t uaddr, void *kaddr, size_t len)
{
    if (len == 0)
        return KERN_SUCCESS;
    if (!user_range_ok(uaddr, len))
        return KERN_INVALID_ADDRESS;
    return copy_user(kaddr, (const void *)uaddr, len);
}

kern_return_t
copyout(const void *kaddr, uintptr_t uaddr, size_t len)
{
    if (len == 0)
        return KERN_SUCCESS;
    if (!user_range_ok(uaddr, len))
        return KERN_INVALID_ADDRESS;
    return copy_user((void *)uaddr, kaddr, len);
}

kern_return_t
copyinstr(uintptr_t uaddr, char *kaddr, size_t max, size_t *len)
{
    if (max == 0)
        return KERN_INVALID_ARGUMENT;
    if (!user_range_ok(uaddr, 1))
        return KERN_INVALID_ADDRESS;
    size_t room = USER_MAX - uaddr; // bytes before the end of user space
    long n = copy_user_str(kaddr, (const char *)uaddr, max < room ? max : room);
    if (n == -2)
        return KERN_INVALID_ADDRESS;
    if (n == -1)
        return max <= room ? KERN_INVALID_ARGUMENT : KERN_INVALID_ADDRESS;
    *len = (size_t)n;
    return KERN_SUCCESS;
}

bool
copyio_fault(struct trap_frame *tf, uintptr_t fault_addr)
{
    const struct copyio_fixup *f = NULL;

    for (size_t i = 0; i < sizeof(copyio_fixups) / sizeof(copyio_fixups[0]); i++)
        if (tf->rip >= (uintptr_t)copyio_fixups[i].begin &&
            tf->rip < (uintptr_t)copyio_fixups[i].end)
            f = &copyio_fixups[i];
    if (f == NULL)
        return false;
    struct thread *self = current_thread();
    struct vm_map *map = self != NULL ? self->th_task->map : NULL;
    if ((tf->rflags & RFLAGS_IF) && map != NULL && fault_addr < USER_MAX) {
        vm_prot_t type = (tf->error_code & PF_ERR_WRITE) ? VM_PROT_WRITE : VM_PROT_READ;
        intr_enable();
        kern_return_t kr = vm_fault(map, ROUND_DOWN(fault_addr, PAGE_SIZE), type);
        intr_disable();
        if (kr == KERN_SUCCESS)
            return true; // retry the instruction
    }
    tf->rip = (uintptr_t)f->fixup;
    return true;
}
