// Meta-data of rgmanager's `clusterfs`: a shared cluster file system (GFS2) that may be mounted
// by several services and nodes at once, so it has no instance limit.
export const clusterfsMetadataXml = `<?xml version="1.0"?>
<resource-agent name="clusterfs" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Cluster file system</shortdesc>
  <longdesc lang="en">Mounts a shared cluster file system (GFS or GFS2). Several services may use the same one; by default it stays mounted when a service stops.</longdesc>
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
      <longdesc lang="en">Shared block device, LABEL= or UUID= of the file system.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="fstype">
      <shortdesc lang="en">File system type</shortdesc>
      <longdesc lang="en">gfs or gfs2.</longdesc>
      <content type="select" default="gfs2">
        <option value="gfs"/>
        <option value="gfs2"/>
      </content>
    </parameter>
    <parameter name="options">
      <shortdesc lang="en">Mount options</shortdesc>
      <longdesc lang="en">Options passed to mount -o.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="force_unmount" reconfig="1">
      <shortdesc lang="en">Unmount on stop</shortdesc>
      <longdesc lang="en">Unmount (killing the processes that use it) when the service stops, instead of leaving the shared mount in place.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="self_fence" reconfig="1">
      <shortdesc lang="en">Reboot if unmount fails</shortdesc>
      <longdesc lang="en">Reboot the node when the file system cannot be unmounted.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="fsid">
      <shortdesc lang="en">NFS file system id</shortdesc>
      <longdesc lang="en">Identifier NFS exports of this file system use. Empty: derived from the name.</longdesc>
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
    <child type="fs" start="1" stop="3"/>
    <child type="clusterfs" start="1" stop="3"/>
    <child type="nfsexport" start="3" stop="1"/>
  </special>
</resource-agent>
`;
