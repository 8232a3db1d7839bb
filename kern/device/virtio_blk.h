/* SPDX-License-Identifier: MIT
 *
 * The virtio-blk disk driver (virtio_blk.c): the first virtio block device
 * on the PCI bus becomes the device "hd0".
 */
#ifndef _DEVICE_VIRTIO_BLK_H_
#define _DEVICE_VIRTIO_BLK_H_

#include <kern/types.h>

#define VIRTIO_BLK_SECTOR_SIZE 512

bool virtio_blk_probe(void);

#endif
