#!/bin/sh
# /init of the qemu-usb guest (busybox sh). Built into the initramfs by
# xtask/src/qemu_usb/initramfs.rs; the steps themselves come from the host
# share (/share/steps.sh, written for each run), so changing them needs no
# new initramfs. Lines starting with "qemu-usb:" are the serial markers the
# host reads; the results are files in /share/out.
export PATH=/bin
export HOME=/tmp

fail() {
    echo "qemu-usb: FAIL: $*"
    poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

while read -r module; do
    insmod "/lib/modules/$module.ko" || fail "insmod $module"
done < /lib/modules/order

# msize 512000: large 9p messages make the share fast enough for 50 MB.
for tag in share mtproot; do
    mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 "$tag" "/$tag" \
        || fail "mount 9p $tag"
done

# The USB/IP boot brings its device itself (xtask/src/qemu_usb/usbip.rs).
if [ -f /share/attach.sh ]; then
    sh /share/attach.sh || fail "/share/attach.sh"
fi

# The device is on the first real port; wait until its interface is bound.
tries=0
until [ -e /sys/bus/usb/devices/1-1:1.0 ]; do
    tries=$((tries + 1))
    [ "$tries" -le 200 ] || fail "no USB device at 1-1 after 20 s: $(ls /sys/bus/usb/devices)"
    sleep 0.1
done
echo "qemu-usb: usb $(cat /sys/bus/usb/devices/1-1/idVendor):$(cat /sys/bus/usb/devices/1-1/idProduct) ready at $(cut -d' ' -f1 /proc/uptime) s"

sh /share/steps.sh
echo "qemu-usb: steps ended ($?) at $(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
