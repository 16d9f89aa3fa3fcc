/*
 * virtio.h — the virtio-mmio transport registers (virtio 1.x section 4.2.2
 * for Version 2, section 4.2.4 for the legacy Version 1) and the split
 * virtqueue structures (section 2.7), as far as the block driver uses them.
 *
 * Both versions share the register file up to QueueNum; they differ in how
 * the queue memory is announced: Version 2 takes three 64-bit addresses and
 * a QueueReady bit, Version 1 takes a page frame number of one contiguous
 * area laid out as descriptors, available ring, padding to QueueAlign, used
 * ring. The driver always uses that legacy layout, which satisfies the
 * alignment rules of both versions, so only the announcement differs.
 */
#ifndef TINYOS_VIRTIO_H
#define TINYOS_VIRTIO_H
#include "../lib/types.h"

#define VIRTIO_SLOTS 8
#define VIRTIO_STRIDE 0x1000UL
#define VIRTIO_IRQ_BASE 1            /* slot n raises PLIC source 1 + n */

#define VIRTIO_MAGIC 0x74726976      /* "virt" */
#define VIRTIO_DEV_BLOCK 2

/* register offsets */
#define VIO_MAGIC 0x000
#define VIO_VERSION 0x004
#define VIO_DEVICE_ID 0x008
#define VIO_DEVICE_FEATURES 0x010
#define VIO_DEVICE_FEATURES_SEL 0x014
#define VIO_DRIVER_FEATURES 0x020
#define VIO_DRIVER_FEATURES_SEL 0x024
#define VIO_GUEST_PAGE_SIZE 0x028    /* legacy only */
#define VIO_QUEUE_SEL 0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM 0x038
#define VIO_QUEUE_ALIGN 0x03c        /* legacy only */
#define VIO_QUEUE_PFN 0x040          /* legacy only */
#define VIO_QUEUE_READY 0x044        /* modern only */
#define VIO_QUEUE_NOTIFY 0x050
#define VIO_INTERRUPT_STATUS 0x060
#define VIO_INTERRUPT_ACK 0x064
#define VIO_STATUS 0x070
#define VIO_QUEUE_DESC_LOW 0x080
#define VIO_QUEUE_DESC_HIGH 0x084
#define VIO_QUEUE_DRIVER_LOW 0x090
#define VIO_QUEUE_DRIVER_HIGH 0x094
#define VIO_QUEUE_DEVICE_LOW 0x0a0
#define VIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIO_CONFIG 0x100

/* device status bits */
#define VIO_S_ACKNOWLEDGE 1
#define VIO_S_DRIVER 2
#define VIO_S_DRIVER_OK 4
#define VIO_S_FEATURES_OK 8
#define VIO_S_FAILED 128

/* feature bits */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_F_VERSION_1 32

/* block request types and status */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0

/* split virtqueue */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vring_desc {
    uint64 addr;
    uint32 len;
    uint16 flags;
    uint16 next;
};

struct vring_used_elem {
    uint32 id;
    uint32 len;
};

struct virtio_blk_req_hdr {
    uint32 type;
    uint32 reserved;
    uint64 sector;
};

#endif
