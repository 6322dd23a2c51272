// Meta-data of rgmanager's `service`: the root of a resource tree, placed and recovered as one
// unit. Its `special` block fixes the start/stop order of the resource types nested in it.
export const serviceMetadataXml = `<?xml version="1.0"?>
<resource-agent name="service" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Service (a resource group)</shortdesc>
  <longdesc lang="en">A service groups resources that run together on one node and move together when that node fails or an administrator relocates them.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1" required="1">
      <shortdesc lang="en">Service name</shortdesc>
      <longdesc lang="en">The name clustat and clusvcadm show; it must be unique among services.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="domain" reconfig="1">
      <shortdesc lang="en">Failover domain</shortdesc>
      <longdesc lang="en">The failover domain that limits and ranks the nodes this service may run on. Empty: any node.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="autostart" reconfig="1">
      <shortdesc lang="en">Start automatically</shortdesc>
      <longdesc lang="en">Start the service when the cluster forms. When off, the service stays disabled until an administrator enables it.</longdesc>
      <content type="boolean" default="1"/>
    </parameter>
    <parameter name="exclusive" reconfig="1">
      <shortdesc lang="en">Run alone</shortdesc>
      <longdesc lang="en">Only start the service on a node that runs no other service, and start no other service beside it.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="recovery" reconfig="1">
      <shortdesc lang="en">Recovery policy</shortdesc>
      <longdesc lang="en">What to do when a resource of the service fails: restart it in place, relocate it to another node, disable it, or restart it until max_restarts is exceeded and then disable it.</longdesc>
      <content type="select" default="restart">
        <option value="restart"/>
        <option value="relocate"/>
        <option value="disable"/>
        <option value="restart-disable"/>
      </content>
    </parameter>
    <parameter name="max_restarts" reconfig="1">
      <shortdesc lang="en">Restarts before relocation</shortdesc>
      <longdesc lang="en">With the restart policy, how many restarts within restart_expire_time are allowed before the service is relocated (or disabled). 0: no limit.</longdesc>
      <content type="integer" default="0"/>
    </parameter>
    <parameter name="restart_expire_time" reconfig="1">
      <shortdesc lang="en">Restart memory</shortdesc>
      <longdesc lang="en">How long a restart counts towards max_restarts, as a duration such as 300 or 5m. 0: restarts never expire.</longdesc>
      <content type="string" default="0"/>
    </parameter>
    <parameter name="depend" reconfig="1">
      <shortdesc lang="en">Depends on</shortdesc>
      <longdesc lang="en">Another service (service:NAME) that must be running before this one starts.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="depend_mode" reconfig="1">
      <shortdesc lang="en">Dependency mode</shortdesc>
      <longdesc lang="en">hard: stop this service when the dependency stops. soft: only wait for the dependency at start.</longdesc>
      <content type="select" default="hard">
        <option value="hard"/>
        <option value="soft"/>
      </content>
    </parameter>
    <parameter name="priority" reconfig="1">
      <shortdesc lang="en">Priority</shortdesc>
      <longdesc lang="en">Order in which services are considered for placement when several wait; lower numbers go first. 0: no priority.</longdesc>
      <content type="integer" default="0"/>
    </parameter>
    <parameter name="nfslock">
      <shortdesc lang="en">NFS lock recovery</shortdesc>
      <longdesc lang="en">Reclaim NFS locks for the file systems of this service when it moves. Resources below inherit the setting.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="nfs_client_cache">
      <shortdesc lang="en">Cache NFS client lookups</shortdesc>
      <longdesc lang="en">Let the NFS client resources of this service cache host name lookups instead of repeating them on every check.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="5s"/>
    <action name="stop" timeout="5s"/>
    <action name="recover" timeout="5s"/>
    <action name="reconfig" timeout="5s"/>
    <action name="status" interval="1h" timeout="5s"/>
    <action name="monitor" interval="1h" timeout="5s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <attributes root="1" maxinstances="1"/>
    <child type="lvm" start="1" stop="9"/>
    <child type="fs" start="2" stop="8"/>
    <child type="clusterfs" start="3" stop="7"/>
    <child type="netfs" start="4" stop="6"/>
    <child type="nfsexport" start="5" stop="5"/>
    <child type="nfsclient" start="6" stop="4"/>
    <child type="ip" start="7" stop="2"/>
    <child type="smb" start="8" stop="3"/>
    <child type="script" start="9" stop="1"/>
  </special>
</resource-agent>
`;
