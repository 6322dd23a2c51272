// Meta-data of rgmanager's `vm`: a virtual machine managed as a service root of its own, which
// can move between nodes by live migration instead of a stop and a start.
export const vmMetadataXml = `<?xml version="1.0"?>
<resource-agent name="vm" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Virtual machine</shortdesc>
  <longdesc lang="en">A libvirt virtual machine run as a highly available service: started on one node, restarted or moved when it fails, migrated live on relocation.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1" required="1">
      <shortdesc lang="en">Domain name</shortdesc>
      <longdesc lang="en">The libvirt domain name of the virtual machine; it is also the service name.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="domain" reconfig="1">
      <shortdesc lang="en">Failover domain</shortdesc>
      <longdesc lang="en">The failover domain that limits and ranks the nodes the machine may run on. Empty: any node.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="autostart" reconfig="1">
      <shortdesc lang="en">Start automatically</shortdesc>
      <longdesc lang="en">Start the machine when the cluster forms.</longdesc>
      <content type="boolean" default="1"/>
    </parameter>
    <parameter name="exclusive" reconfig="1">
      <shortdesc lang="en">Run alone</shortdesc>
      <longdesc lang="en">Only run the machine on a node that runs no other service.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="recovery" reconfig="1">
      <shortdesc lang="en">Recovery policy</shortdesc>
      <longdesc lang="en">What to do when the machine fails its status check.</longdesc>
      <content type="select" default="restart">
        <option value="restart"/>
        <option value="relocate"/>
        <option value="disable"/>
        <option value="restart-disable"/>
      </content>
    </parameter>
    <parameter name="max_restarts" reconfig="1">
      <shortdesc lang="en">Restarts before relocation</shortdesc>
      <longdesc lang="en">Restarts allowed within restart_expire_time before the machine is relocated. 0: no limit.</longdesc>
      <content type="integer" default="0"/>
    </parameter>
    <parameter name="restart_expire_time" reconfig="1">
      <shortdesc lang="en">Restart memory</shortdesc>
      <longdesc lang="en">How long a restart counts towards max_restarts (a duration such as 300 or 5m). 0: never expires.</longdesc>
      <content type="string" default="0"/>
    </parameter>
    <parameter name="migrate" reconfig="1">
      <shortdesc lang="en">Migration mode</shortdesc>
      <longdesc lang="en">live: move the running machine without pausing it. pause: suspend, copy, resume.</longdesc>
      <content type="select" default="live">
        <option value="live"/>
        <option value="pause"/>
      </content>
    </parameter>
    <parameter name="migration_mapping" reconfig="1">
      <shortdesc lang="en">Migration addresses</shortdesc>
      <longdesc lang="en">Node-to-address pairs (node:address,node:address) for migration traffic when it should not use the cluster names.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="use_virsh">
      <shortdesc lang="en">Use virsh</shortdesc>
      <longdesc lang="en">Drive the machine through virsh (libvirt) rather than the hypervisor's own tool.</longdesc>
      <content type="boolean" default="1"/>
    </parameter>
    <parameter name="xmlfile">
      <shortdesc lang="en">Definition file</shortdesc>
      <longdesc lang="en">Full path of the libvirt XML definition to create the machine from. Empty: the domain is already defined on every node.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="path">
      <shortdesc lang="en">Definition search path</shortdesc>
      <longdesc lang="en">Colon-separated directories to look for the machine's definition in.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="snapshot">
      <shortdesc lang="en">Snapshot directory</shortdesc>
      <longdesc lang="en">Directory to save the machine's state to on stop and restore it from on start. Empty: shut down and boot.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="hypervisor">
      <shortdesc lang="en">Hypervisor</shortdesc>
      <longdesc lang="en">The hypervisor libvirt talks to.</longdesc>
      <content type="select" default="auto">
        <option value="auto"/>
        <option value="qemu"/>
        <option value="xen"/>
      </content>
    </parameter>
    <parameter name="hypervisor_uri">
      <shortdesc lang="en">Hypervisor URI</shortdesc>
      <longdesc lang="en">libvirt connection URI to use instead of the hypervisor's default.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="migration_uri">
      <shortdesc lang="en">Migration URI</shortdesc>
      <longdesc lang="en">libvirt URI template for the migration target, with %s for the target's name.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="depend" reconfig="1">
      <shortdesc lang="en">Depends on</shortdesc>
      <longdesc lang="en">A service (service:NAME) that must run before the machine starts.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="depend_mode" reconfig="1">
      <shortdesc lang="en">Dependency mode</shortdesc>
      <longdesc lang="en">hard: stop the machine when the dependency stops. soft: only wait for it at start.</longdesc>
      <content type="select" default="hard">
        <option value="hard"/>
        <option value="soft"/>
      </content>
    </parameter>
    <parameter name="priority" reconfig="1">
      <shortdesc lang="en">Priority</shortdesc>
      <longdesc lang="en">Placement order when several services wait; lower numbers first. 0: none.</longdesc>
      <content type="integer" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="5m"/>
    <action name="stop" timeout="2m"/>
    <action name="status" interval="30s" timeout="10s"/>
    <action name="monitor" interval="30s" timeout="10s"/>
    <action name="status" depth="10" interval="60s" timeout="10s"/>
    <action name="monitor" depth="10" interval="60s" timeout="10s"/>
    <action name="migrate" timeout="10m"/>
    <action name="reconfig" timeout="10s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <attributes root="1" maxinstances="1"/>
  </special>
</resource-agent>
`;
