// Meta-data of rgmanager's `nfsexport`: the NFS server side of a file system. It sits under an
// fs, clusterfs or netfs and takes its device and path from there; its nfsclient children say
// who may mount it.
export const nfsexportMetadataXml = `<?xml version="1.0"?>
<resource-agent name="nfsexport" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">NFS export</shortdesc>
  <longdesc lang="en">Makes sure the NFS server runs for the file system above it; the nfsclient resources below it add the actual exports.</longdesc>
  <parameters>
    <parameter name="name" primary="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this export by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="device" inherit="device">
      <shortdesc lang="en">Device</shortdesc>
      <longdesc lang="en">Device of the exported file system, taken from the file system above.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="path" inherit="mountpoint">
      <shortdesc lang="en">Exported path</shortdesc>
      <longdesc lang="en">Directory exported, taken from the mount point of the file system above.</longdesc>
      <content type="string" default=""/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="5s"/>
    <action name="stop" timeout="5s"/>
    <action name="recover" timeout="5s"/>
    <action name="status" interval="30s" timeout="5s"/>
    <action name="monitor" interval="30s" timeout="5s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="30s"/>
  </actions>
  <special tag="rgmanager">
    <child type="nfsexport" forbid="1"/>
    <child type="nfsclient"/>
  </special>
</resource-agent>
`;
