/* SPDX-License-Identifier: MIT
 *
 * Constants of the memory-object protocol (memory_object.defs,
 * memory_object_control.defs, memory_object_default.defs), with GNU
 * Mach's names and values.
 */
#ifndef _MACH_MEMORY_OBJECT_H_
#define _MACH_MEMORY_OBJECT_H_

/* memory_object_lock_request's should_return: which resident pages of the
 * range go back to the pager (memory_object_data_return) before the rest
 * of the request is applied. */
typedef int memory_object_return_t;
#define MEMORY_OBJECT_RETURN_NONE  0 /* none */
#define MEMORY_OBJECT_RETURN_DIRTY 1 /* modified ones */
#define MEMORY_OBJECT_RETURN_ALL   2 /* modified and precious ones */

/* How a copy of the object's data is made (memory_object_ready,
 * change_attributes, get_attributes).  Quay makes every copy the
 * COPY_DELAY way (a shadow object in front, pages copied on write) and
 * reports back the value the pager set. */
typedef int memory_object_copy_strategy_t;
#define MEMORY_OBJECT_COPY_NONE      0
#define MEMORY_OBJECT_COPY_CALL      1
#define MEMORY_OBJECT_COPY_DELAY     2
#define MEMORY_OBJECT_COPY_TEMPORARY 3

#endif
