/* SPDX-License-Identifier: MIT
 *
 * The instructions that touch user memory for copyin/copyout/copyinstr
 * (copyio.c checks the ranges first).  A page fault inside [*_begin, *_end)
 * is not a kernel bug: copyio_fault() (copyio.c), called by the kernel-mode
 * fault path in trap.c, lets vm_fault resolve it or resumes at the matching
 * *_fault label, which returns the failure.
 */
#define KERN_INVALID_ADDRESS 1 /* mach/kern_return.h, which is C only */

        .text
/* kern_return_t copy_user(void *dst, const void *src, size_t len):
 * KERN_SUCCESS, or KERN_INVALID_ADDRESS if a page could not be touched. */
        .p2align 4
        .globl copy_user, copy_user_begin, copy_user_end, copy_user_fault
        .type copy_user, @function
copy_user:
        movq    %rdx, %rcx
copy_user_begin:
        rep movsb
copy_user_end:
        xorl    %eax, %eax
        ret
copy_user_fault:
        movl    $KERN_INVALID_ADDRESS, %eax
        ret
        .size copy_user, . - copy_user

/* long copy_user_str(char *dst, const char *src, size_t max): copies bytes
 * up to and including a NUL, at most max of them; returns the length
 * without the NUL, -1 if there was no NUL in max bytes, -2 on a fault. */
        .p2align 4
        .globl copy_user_str, copy_user_str_begin, copy_user_str_end, copy_user_str_fault
        .type copy_user_str, @function
copy_user_str:
        xorl    %eax, %eax
1:      cmpq    %rdx, %rax
        jae     3f
copy_user_str_begin:
        movb    (%rsi,%rax), %cl
copy_user_str_end:
        movb    %cl, (%rdi,%rax)
        testb   %cl, %cl
        jz      2f
        incq    %rax
        jmp     1b
2:      ret
3:      movq    $-1, %rax
        ret
copy_user_str_fault:
        movq    $-2, %rax
        ret
        .size copy_user_str, . - copy_user_str
