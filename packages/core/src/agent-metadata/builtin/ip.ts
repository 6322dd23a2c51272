// Meta-data of rgmanager's `ip`: a floating address that follows its service.
export const ipMetadataXml = `<?xml version="1.0"?>
<resource-agent name="ip" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Floating IP address</shortdesc>
  <longdesc lang="en">Adds an IPv4 or IPv6 address to the interface whose subnet contains it, announces it with gratuitous ARP or unsolicited neighbour advertisements, and removes it on stop.</longdesc>
  <parameters>
    <parameter name="address" primary="1" unique="1">
      <shortdesc lang="en">Address</shortdesc>
      <longdesc lang="en">The address, optionally with a prefix length (192.168.1.10/24, 2001:db8::10/64).</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="family">
      <shortdesc lang="en">Address family</shortdesc>
      <longdesc lang="en">inet or inet6; auto decides from the address.</longdesc>
      <content type="select" default="auto">
        <option value="auto"/>
        <option value="inet"/>
        <option value="inet6"/>
      </content>
    </parameter>
    <parameter name="monitor_link">
      <shortdesc lang="en">Check the link</shortdesc>
      <longdesc lang="en">Treat a lost carrier on the interface as a failure of this address.</longdesc>
      <content type="boolean" default="1"/>
    </parameter>
    <parameter name="nfslock" inherit="service%nfslock">
      <shortdesc lang="en">NFS lock recovery</shortdesc>
      <longdesc lang="en">Send NFS lock reclaim notices from this address after it moves. Taken from the service.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="sleeptime">
      <shortdesc lang="en">Pause after changes</shortdesc>
      <longdesc lang="en">Seconds to wait after adding or removing the address before the next resource acts.</longdesc>
      <content type="integer" default="10"/>
    </parameter>
    <parameter name="disable_rdisc">
      <shortdesc lang="en">Leave routing alone</shortdesc>
      <longdesc lang="en">Do not restart router discovery when the address is added or removed.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
    <parameter name="prefer_interface">
      <shortdesc lang="en">Preferred interface</shortdesc>
      <longdesc lang="en">Interface to use when several are on the address's subnet. Empty: the first one found.</longdesc>
      <content type="string" default=""/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="20s"/>
    <action name="stop" timeout="20s"/>
    <action name="status" depth="0" interval="20s" timeout="10s"/>
    <action name="monitor" depth="0" interval="20s" timeout="10s"/>
    <action name="status" depth="10" interval="60s" timeout="20s"/>
    <action name="monitor" depth="10" interval="60s" timeout="20s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <attributes maxinstances="1"/>
    <child type="nfsexport" forbid="1"/>
    <child type="nfsclient" forbid="1"/>
  </special>
</resource-agent>
`;
