// Meta-data of rgmanager's `fs`: a local (non-cluster) file system mounted on one node at a
// time. Nested file systems mount after it and NFS exports of it come after those.
export const fsMetadataXml = `<?xml version="1.0"?>
<resource-agent name="fs" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">File system</shortdesc>
  <longdesc lang="en">Mounts a block device's file system (ext3, ext4, xfs, …) on the node that runs the service and unmounts it on stop, optionally killing processes that keep it busy.</longdesc>
  <parameters>
    <parameter name="name" primary="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this file system by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="mountpoint" unique="1" required="1">
      <shortdesc lang="en">Mount point</shortdesc>
      <longdesc lang="en">Directory to mount the file system on.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="device" unique="1" required="1">
      <shortdesc lang="en">Device</shortdesc>
      <longdesc lang="en">Block device, LABEL= or UUID= of the file system.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="fstype">
      <shortdesc lang="en">File system type</shortdesc>
      <longdesc lang="en">Type passed to mount -t. Empty: detect it from the device.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="options">
      <shortdesc lang="en">Mount options</shortdesc>
      <longdesc lang="en">Options passed to mount -o.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="force_unmount" reconfig="1">
      <shortdesc lang="en">Force unmount</shortdesc>
      <longdesc lang="en">Kill the processes that use the mount point when a plain unmount fails.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="self_fence" reconfig="1">
      <shortdesc lang="en">Reboot if unmount fails</shortdesc>
      <longdesc lang="en">Reboot the node when the file system cannot be unmounted, so that the service can move.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="quick_status" reconfig="1">
      <shortdesc lang="en">Quick status</shortdesc>
      <longdesc lang="en">Only check that the file system is mounted, skipping the read and write checks.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="force_fsck">
      <shortdesc lang="en">Check before mounting</shortdesc>
      <longdesc lang="en">Run fsck before every mount, not only when the file system asks for it.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="fsid">
      <shortdesc lang="en">NFS file system id</shortdesc>
      <longdesc lang="en">Identifier NFS exports of this file system use, so clients keep their handles when it moves. Empty: derived from the name.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="nfslock" inherit="service%nfslock">
      <shortdesc lang="en">NFS lock recovery</shortdesc>
      <longdesc lang="en">Prepare NFS lock reclaim for exports of this file system. Taken from the service.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="900s"/>
    <action name="stop" timeout="30s"/>
    <action name="status" depth="0" interval="1m" timeout="10s"/>
    <action name="monitor" depth="0" interval="1m" timeout="10s"/>
    <action name="status" depth="10" interval="30s" timeout="30s"/>
    <action name="monitor" depth="10" interval="30s" timeout="30s"/>
    <action name="status" depth="20" interval="1m" timeout="30s"/>
    <action name="monitor" depth="20" interval="1m" timeout="30s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <attributes maxinstances="1"/>
    <child type="fs" start="1" stop="3"/>
    <child type="clusterfs" start="1" stop="3"/>
    <child type="nfsexport" start="3" stop="1"/>
  </special>
</resource-agent>
`;
