// SPDX-License-Identifier: MIT
//
// The ELF64 loader and the initial user stack (see elf_load.h).
//
// Decode, then commit.  elf_decode() reads the image into a plan -- one
// record per PT_LOAD segment with its page-rounded range, its protection
// and where its file bytes are -- checking every field on the way and
// copying each header out of the image first (a boot module need not be
// aligned, and is never trusted).  Only a complete, valid plan is
// committed: each segment becomes a fresh anonymous object filled with
// its file bytes (the rest of an object reads as zeros), and then the
// objects are entered into the map; if one cannot be entered, the ones
// already entered are removed again.

#include <kern/elf_load.h>
#include <kern/elf.h>
#include <kern/kalloc.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <lib/string.h>

struct elf_segment {
    vaddr_t start, end;      // page-rounded range in the map
    vaddr_t vaddr;           // where the first file byte goes
    uint64_t offset, filesz; // file bytes in the image
    vm_prot_t prot;
};

struct elf_plan {
    struct elf_segment seg[ELF_SEGMENTS_MAX];
    unsigned nseg;
    vaddr_t entry;
};

static bool
header_valid(const struct elf64_ehdr *eh, size_t size)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

    if (memcmp(eh->e_ident, magic, 4) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_ident[EI_VERSION] != EV_CURRENT)
        return false;
    if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64 ||
        eh->e_version != EV_CURRENT)
        return false;
    if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
        eh->e_phnum > ELF_PHNUM_MAX)
        return false;
    // phnum * phentsize is at most 64 * 56, so only the offset can overflow.
    return eh->e_phoff <= size && size - eh->e_phoff >= (size_t)eh->e_phnum * eh->e_phentsize;
}

static vm_prot_t
flags_to_prot(uint32_t flags)
{
    return ((flags & PF_R) ? VM_PROT_READ : 0) | ((flags & PF_W) ? VM_PROT_WRITE : 0) |
           ((flags & PF_X) ? VM_PROT_EXECUTE : 0);
}

// Checks one PT_LOAD header (moved by bias) and fills *seg.
static bool
segment_decode(const struct elf64_phdr *ph, uint64_t bias, size_t size, struct elf_segment *seg)
{
    if (ph->p_filesz > ph->p_memsz || ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return false;
    if (ph->p_vaddr > USER_MAX || bias > USER_MAX - ph->p_vaddr)
        return false;
    uint64_t vaddr = ph->p_vaddr + bias;
    if (vaddr < USER_MIN || ph->p_memsz > USER_MAX - vaddr)
        return false; // beyond user space, or in the kernel half
    *seg = (struct elf_segment){
        .start = ROUND_DOWN(vaddr, PAGE_SIZE),
        .end = ROUND_UP(vaddr + ph->p_memsz, PAGE_SIZE), // <= USER_MAX: page aligned
        .vaddr = vaddr,
        .offset = ph->p_offset,
        .filesz = ph->p_filesz,
        .prot = flags_to_prot(ph->p_flags),
    };
    return true;
}

// No two segments share a page, and the entry point is in an executable one.
static bool
plan_consistent(const struct elf_plan *plan)
{
    bool entry_ok = false;

    for (unsigned i = 0; i < plan->nseg; i++) {
        const struct elf_segment *a = &plan->seg[i];
        for (unsigned j = i + 1; j < plan->nseg; j++) {
            const struct elf_segment *b = &plan->seg[j];
            if (a->start < b->end && b->start < a->end)
                return false;
        }
        if ((a->prot & VM_PROT_EXECUTE) && plan->entry >= a->vaddr && plan->entry < a->end)
            entry_ok = true;
    }
    return entry_ok;
}

// Reads and checks the whole image into *plan; false if it is malformed.
static bool
elf_decode(const uint8_t *image, size_t size, struct elf_plan *plan)
{
    struct elf64_ehdr eh;

    if (size < sizeof(eh))
        return false;
    memcpy(&eh, image, sizeof(eh));
    if (!header_valid(&eh, size))
        return false;
    uint64_t bias = eh.e_type == ET_DYN ? ELF_DYN_BASE : 0;
    if (eh.e_entry > USER_MAX - bias)
        return false;
    plan->nseg = 0;
    plan->entry = eh.e_entry + bias;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        struct elf64_phdr ph;
        memcpy(&ph, image + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
        if (ph.p_type == PT_INTERP)
            return false; // dynamically linked: no interpreter here
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (plan->nseg == ELF_SEGMENTS_MAX ||
            !segment_decode(&ph, bias, size, &plan->seg[plan->nseg]))
            return false;
        plan->nseg++;
    }
    return plan->nseg > 0 && plan_consistent(plan);
}

// Removes the first n segments of plan from map (undoing a commit).
static void
plan_unmap(struct vm_map *map, const struct elf_plan *plan, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        vm_map_remove(map, plan->seg[i].start, plan->seg[i].end);
}

// Builds one object per segment, then enters them all.
static kern_return_t
elf_commit(struct vm_map *map, const uint8_t *image, const struct elf_plan *plan)
{
    struct vm_object *obj[ELF_SEGMENTS_MAX] = {NULL};
    kern_return_t kr = KERN_SUCCESS;
    unsigned entered = 0;

    for (unsigned i = 0; i < plan->nseg && kr == KERN_SUCCESS; i++) {
        const struct elf_segment *s = &plan->seg[i];
        obj[i] = vm_object_allocate(s->end - s->start);
        kr = obj[i] == NULL
                 ? KERN_RESOURCE_SHORTAGE
                 : vm_object_write(obj[i], s->vaddr - s->start, image + s->offset, s->filesz);
    }
    while (kr == KERN_SUCCESS && entered < plan->nseg) {
        const struct elf_segment *s = &plan->seg[entered];
        vaddr_t at = s->start;
        kr = vm_map_enter(map, &at, s->end - s->start, 0, false, obj[entered], 0, s->prot,
                          VM_PROT_ALL, VM_INHERIT_COPY);
        if (kr == KERN_SUCCESS)
            obj[entered++] = NULL; // the map holds its reference now
    }
    if (kr != KERN_SUCCESS)
        plan_unmap(map, plan, entered);
    for (unsigned i = 0; i < plan->nseg; i++) {
        if (obj[i] != NULL)
            vm_object_deallocate(obj[i]);
    }
    return kr;
}

kern_return_t
elf_load(struct vm_map *map, const void *image, size_t size, vaddr_t *entry)
{
    struct elf_plan *plan = kalloc(sizeof(*plan)); // ~800 bytes: not on the stack

    if (plan == NULL)
        return KERN_RESOURCE_SHORTAGE;
    kern_return_t kr = KERN_INVALID_ARGUMENT;
    if (elf_decode(image, size, plan)) {
        kr = elf_commit(map, image, plan);
        if (kr == KERN_SUCCESS)
            *entry = plan->entry;
    }
    kfree(plan, sizeof(*plan));
    return kr;
}

// ---------------------------------------------------------------------------
// The initial stack.

#define AUXV_WORDS 4 // {AT_PAGESZ, PAGE_SIZE}, {AT_NULL, 0}

// Strings of a NULL-terminated vector (NULL: none): count and total bytes
// with their NULs.
static void
vector_measure(const char *const *v, size_t *count, size_t *bytes)
{
    *count = 0;
    *bytes = 0;
    for (; v != NULL && v[*count] != NULL; (*count)++)
        *bytes += strlen(v[*count]) + 1;
}

// Writes the pointers of vector v into words (then a NULL) and its strings
// into the block at kstr, which is user address ustr; returns the words
// and advances the string cursor.
static uint64_t *
vector_write(uint64_t *words, const char *const *v, size_t count, char **kstr, vaddr_t *ustr)
{
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(v[i]) + 1;
        memcpy(*kstr, v[i], n);
        *words++ = *ustr;
        *kstr += n;
        *ustr += n;
    }
    *words++ = 0;
    return words;
}

// Lays out the stack block [rsp, ELF_STACK_TOP) in kbuf (zeroed, len bytes).
static void
stack_build(uint8_t *kbuf, vaddr_t rsp, vaddr_t ustr, const char *const *argv, size_t argc,
            const char *const *envp, size_t envc)
{
    uint64_t *w = (uint64_t *)kbuf;
    char *kstr = (char *)kbuf + (ustr - rsp);

    *w++ = argc;
    w = vector_write(w, argv, argc, &kstr, &ustr);
    w = vector_write(w, envp, envc, &kstr, &ustr);
    *w++ = AT_PAGESZ;
    *w++ = PAGE_SIZE;
    *w++ = AT_NULL;
    *w++ = 0;
}

// Maps the guard and the stack; on failure neither.
static kern_return_t
stack_map(struct vm_map *map)
{
    vaddr_t stack = ELF_STACK_TOP - ELF_STACK_SIZE, guard = stack - ELF_STACK_GUARD;
    kern_return_t kr = vm_map_enter(map, &guard, ELF_STACK_GUARD, 0, false, NULL, 0, VM_PROT_NONE,
                                    VM_PROT_NONE, VM_INHERIT_COPY);

    if (kr != KERN_SUCCESS)
        return kr;
    kr = vm_map_enter(map, &stack, ELF_STACK_SIZE, 0, false, NULL, 0, VM_PROT_DEFAULT, VM_PROT_ALL,
                      VM_INHERIT_COPY);
    if (kr != KERN_SUCCESS)
        vm_map_remove(map, guard, guard + ELF_STACK_GUARD);
    return kr;
}

kern_return_t
elf_setup_stack(struct vm_map *map, const char *const *argv, const char *const *envp,
                vaddr_t *user_rsp)
{
    size_t argc, envc, abytes, ebytes;

    vector_measure(argv, &argc, &abytes);
    vector_measure(envp, &envc, &ebytes);
    if (argc + envc > ELF_ARGS_MAX / 8 || abytes + ebytes > ELF_ARGS_MAX)
        return KERN_INVALID_ARGUMENT;
    size_t words = 1 + argc + 1 + envc + 1 + AUXV_WORDS;
    vaddr_t ustr = ROUND_DOWN(ELF_STACK_TOP - (abytes + ebytes), 16);
    vaddr_t rsp = ROUND_DOWN(ustr - words * 8, 16);
    size_t len = ELF_STACK_TOP - rsp;
    if (len > ELF_ARGS_MAX)
        return KERN_INVALID_ARGUMENT;

    uint8_t *kbuf = kalloc(len);
    if (kbuf == NULL)
        return KERN_RESOURCE_SHORTAGE;
    memset(kbuf, 0, len);
    stack_build(kbuf, rsp, ustr, argv, argc, envp, envc);
    kern_return_t kr = stack_map(map);
    if (kr == KERN_SUCCESS) {
        kr = vm_map_write(map, rsp, kbuf, len);
        if (kr != KERN_SUCCESS)
            vm_map_remove(map, ELF_STACK_TOP - ELF_STACK_SIZE - ELF_STACK_GUARD, ELF_STACK_TOP);
        else
            *user_rsp = rsp;
    }
    kfree(kbuf, len);
    return kr;
}
