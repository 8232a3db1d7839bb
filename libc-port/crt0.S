/* SPDX-License-Identifier: MIT
 *
 * crt0: where a Quay program starts.
 *
 * The kernel's ELF loader enters _start with the System V initial stack:
 *
 *     %rsp ->  argc
 *              argv[0] ... argv[argc - 1], NULL
 *              envp[0] ... NULL
 *              auxv pairs ... AT_NULL
 *
 * _start clears %rbp (the outermost frame, so backtraces stop here), keeps
 * the stack pointer in %r12 (callee-saved), aligns %rsp to 16 bytes as the
 * ABI wants at a call, runs __libc_port_init(sp) (TLS, libmach, newlib, C
 * constructors), then exit(main(argc, argv, envp)).
 */
        .text
        .globl _start
        .type _start, @function
_start:
        xorl %ebp, %ebp
        movq %rsp, %r12
        andq $-16, %rsp
        movq %r12, %rdi
        call __libc_port_init

        movq (%r12), %rdi               /* argc */
        leaq 8(%r12), %rsi              /* argv */
        leaq 16(%r12,%rdi,8), %rdx      /* envp = argv + argc + 1 */
        call main
        movl %eax, %edi
        call exit
        ud2
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
