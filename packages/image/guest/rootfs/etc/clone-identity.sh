# Sourced by /init at the first boot of a VM that is a clone of a template (xcluster.clone on the kernel command line;
# a reset clone boots as any VM, its MACs the ones its qemu command line gives): the template
# waits here, before anything that depends on who it is; each clone of it is told who it is on the virtio-serial port
# org.xcluster.identity, and goes on as a booted VM does. The lines xcluster writes there, then `end`:
#   mac IFACE MAC        the NIC's address (its hostname and addresses come from eth0's)
#   date Y-M-D H:M:S     the time now, UTC
#   seed HEX             randomness of the host's, mixed into the guest's
#   hostkey BASE64       dropbear's ed25519 host key, made on the host for this VM
# A port's name comes from qemu a moment after the port appears: looked for up to 2 s.
port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 100 ]; do
  for dir in /sys/class/virtio-ports/*; do
    [ "$(cat "$dir/name" 2>/dev/null)" = org.xcluster.identity ] && port="/dev/${dir##*/}"
  done
  [ -n "$port" ] || sleep 0.02
  tries=$((tries + 1))
done
if [ -z "$port" ]; then
  echo "xcluster: no identity port (org.xcluster.identity): booting as the template"
else
  echo "xcluster: template waiting for an identity"
  exec 3<"$port"
  # A read finds nothing until xcluster connects to the port: wait, and read again.
  while :; do
    IFS=' ' read -r what first second <&3 || { sleep 0.02; continue; }
    case "$what" in
      mac) ip link set dev "$first" address "$second" ;;
      date) date -u -s "$first $second" >/dev/null ;;
      seed) echo "$first" > /dev/urandom && seed=$first ;;
      hostkey)
        mkdir -p /etc/dropbear
        echo "$first" | base64 -d > /etc/dropbear/dropbear_ed25519_host_key
        chmod 600 /etc/dropbear/dropbear_ed25519_host_key ;;
      end) break ;;
    esac
  done
  exec 3<&-
  # Ethernet interfaces the kernel gave a random address (dummy0, bond0): the template's would be every clone's. Each
  # takes 6 bytes of the seed: the kernel's generator gives the template's numbers until it reseeds (from the pool
  # the seed went into, within a second of guest time here). (read, not cat: each program started costs tens of ms.)
  for dev in /sys/class/net/*; do
    read -r type 2>/dev/null < "$dev/type" && read -r assigned 2>/dev/null < "$dev/addr_assign_type" || continue
    [ "$type $assigned" = "1 1" ] && [ "${#seed}" -ge 12 ] || continue
    set -- $(echo "$seed" | cut -c1-12 | sed 's/../& /g')
    seed=$(echo "$seed" | cut -c13-)
    ip link set dev "${dev##*/}" address "$(printf %02x $(((0x$1 & 0xfe) | 0x02))):$2:$3:$4:$5:$6"
  done
  # What the template's kernel read of a cdrom before it waited is not this clone's cdrom.
  [ -b /dev/vdb ] && blockdev --flushbufs /dev/vdb
fi
