// Meta-data of rgmanager's `netfs`: an NFS or CIFS mount from a server outside the cluster.
export const netfsMetadataXml = `<?xml version="1.0"?>
<resource-agent name="netfs" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Network file system mount</shortdesc>
  <longdesc lang="en">Mounts an export of an NFS or CIFS server on the node that runs the service.</longdesc>
  <parameters>
    <parameter name="name" primary="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this mount by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="mountpoint" unique="1" required="1">
      <shortdesc lang="en">Mount point</shortdesc>
      <longdesc lang="en">Directory to mount the export on.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="host" required="1">
      <shortdesc lang="en">Server</shortdesc>
      <longdesc lang="en">Host name or address of the file server.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="export" required="1">
      <shortdesc lang="en">Export</shortdesc>
      <longdesc lang="en">Exported path (NFS) or share name (CIFS) on the server.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="fstype">
      <shortdesc lang="en">Protocol</shortdesc>
      <longdesc lang="en">nfs, nfs4 or cifs.</longdesc>
      <content type="select" default="nfs">
        <option value="nfs"/>
        <option value="nfs4"/>
        <option value="cifs"/>
      </content>
    </parameter>
    <parameter name="options">
      <shortdesc lang="en">Mount options</shortdesc>
      <longdesc lang="en">Options passed to mount -o.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="no_unmount" reconfig="1">
      <shortdesc lang="en">Keep mounted on stop</shortdesc>
      <longdesc lang="en">Leave the export mounted when the service stops.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="force_unmount" reconfig="1">
      <shortdesc lang="en">Force unmount</shortdesc>
      <longdesc lang="en">Kill the processes that use the mount point when a plain unmount fails.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="900s"/>
    <action name="stop" timeout="30s"/>
    <action name="status" depth="0" interval="1m" timeout="10s"/>
    <action name="monitor" depth="0" interval="1m" timeout="10s"/>
    <action name="status" depth="10" interval="5m" timeout="30s"/>
    <action name="monitor" depth="10" interval="5m" timeout="30s"/>
    <action name="status" depth="20" interval="10m" timeout="30s"/>
    <action name="monitor" depth="20" interval="10m" timeout="30s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <!-- Re-exporting an NFS mount over NFS does not work: rgmanager forbade it too. -->
    <child type="nfsexport" forbid="1"/>
    <child type="nfsclient" forbid="1"/>
  </special>
</resource-agent>
`;
