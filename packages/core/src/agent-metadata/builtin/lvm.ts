// Meta-data of rgmanager's `lvm`: a volume group (or one logical volume) activated exclusively
// on the node that runs the service, before the file systems on it are mounted.
export const lvmMetadataXml = `<?xml version="1.0"?>
<resource-agent name="lvm" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">LVM volume group</shortdesc>
  <longdesc lang="en">Activates a volume group, or one logical volume of it, on one node at a time and deactivates it on stop.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1" required="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this volume by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="vg_name" required="1">
      <shortdesc lang="en">Volume group</shortdesc>
      <longdesc lang="en">Name of the volume group.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="lv_name">
      <shortdesc lang="en">Logical volume</shortdesc>
      <longdesc lang="en">Only activate this logical volume. Empty: the whole volume group.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="self_fence" reconfig="1">
      <shortdesc lang="en">Reboot if deactivation fails</shortdesc>
      <longdesc lang="en">Reboot the node when the volume cannot be deactivated, so that the service can move.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="5m"/>
    <action name="stop" timeout="5m"/>
    <action name="status" interval="1m" timeout="30s"/>
    <action name="monitor" interval="1m" timeout="30s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="30s"/>
  </actions>
  <special tag="rgmanager">
    <attributes maxinstances="1"/>
  </special>
</resource-agent>
`;
