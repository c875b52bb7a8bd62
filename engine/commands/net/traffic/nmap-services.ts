/**
 * nmap's 1000 most frequent TCP ports, as `nmap` with no -p scans them: nmap-services
 * (github:nmap/nmap at 95b974b10, "Merge 7.95 release branch into trunk", 2024-04-23) sorted by its open-frequency
 * column, larger first, ties in file order (services.cc: std::list::sort with
 * service_node_ratio_compare is stable), cut at 1000 (`--top-ports 1000`). Each entry is
 * "port:service" with nmap-services' service name, which the PORT table prints.
 * Generated from the file; not edited by hand.
 */
const TOP_TCP = `
80:http 23:telnet 443:https 21:ftp 22:ssh 25:smtp 3389:ms-wbt-server 110:pop3 445:microsoft-ds
139:netbios-ssn 143:imap 53:domain 135:msrpc 3306:mysql 8080:http-proxy 1723:pptp 111:rpcbind
995:pop3s 993:imaps 5900:vnc 1025:NFS-or-IIS 587:submission 8888:sun-answerbook 199:smux
1720:h323q931 465:smtps 548:afp 113:ident 81:hosts2-ns 6001:X11:1 10000:snet-sensor-mgmt 514:shell
5060:sip 179:bgp 1026:LSA-or-nterm 2000:cisco-sccp 8443:https-alt 8000:http-alt 32768:filenet-tms
554:rtsp 26:rsftp 1433:ms-sql-s 49152:unknown 2001:dc 515:printer 8008:http 49154:unknown 1027:IIS
5666:nrpe 646:ldp 5000:upnp 5631:pcanywheredata 631:ipp 49153:unknown 8081:blackice-icecap 2049:nfs
88:kerberos-sec 79:finger 5800:vnc-http 106:pop3pw 2121:ccproxy-ftp 1110:nfsd-status 49155:unknown
6000:X11 513:login 990:ftps 5357:wsdapi 427:svrloc 49156:unknown 543:klogin 544:kshell 5101:admdog
144:news 7:echo 389:ldap 8009:ajp13 3128:squid-http 444:snpp 9999:abyss 5009:airport-admin
7070:realserver 5190:aol 3000:ppp 5432:postgresql 1900:upnp 3986:mapper-ws_ethd 13:daytime
1029:ms-lsa 9:discard 5051:ida-agent 6646:unknown 49157:unknown 1028:unknown 873:rsync 1755:wms
2717:pn-requester 4899:radmin 9100:jetdirect 119:nntp 37:time 1000:cadlock 3001:nessus
5001:commplex-link 82:xfer 10010:rxapi 1030:iad1 9090:zeus-admin 2107:msmq-mgmt 1024:kdm
2103:zephyr-clt 6004:X11:4 1801:msmq 5050:mmcc 19:chargen 8031:unknown 1041:danf-ak2 255:unknown
1048:neod2 1049:td-postman 1053:remote-as 1054:brvread 1056:vfo 1064:jstel 1065:syscomlan
2967:symantec-av 3703:adobeserver-3 17:qotd 808:ccproxy-http 3689:rendezvous 1031:iad2
1044:dcutility 1071:bsquare-voip 5901:vnc-1 100:newacct 9102:jetdirect 1039:sbl 2869:icslap
4001:newoak 5120:barracuda-bbs 8010:xmpp 9000:cslistener 2105:eklogin 636:ldapssl 1038:mtqp
2601:zebra 1:tcpmux 7000:afs3-fileserver 1066:fpo-fns 1069:cognex-insight 625:apple-xsrvr-admin
311:asip-webadmin 280:http-mgmt 254:unknown 4000:remoteanything 1761:landesk-rc 5003:filemaker
2002:globe 1998:x25-svc-port 2005:deslogin 1032:iad3 1050:java-or-OTGfileshare 6112:dtspc 3690:svn
1521:oracle 2161:apc-agent 1080:socks 6002:X11:2 2401:cvspserver 902:iss-realsecure 4045:lockd
787:qsc 7937:nsrexecd 1058:nim 2383:ms-olap4 32771:sometimes-rpc5 1033:netinfo 1040:netsaint
1059:nimreg 50000:ibm-db2 5555:freeciv 10001:scp-config 1494:citrix-ica 3:compressnet
593:http-rpc-epmap 2301:compaqdiag 3268:globalcatLDAP 7938:lgtomapper 1022:exp2 1234:hotline
1035:multidropper 1036:nsstp 1037:ams 1074:warmspotMgmt 8002:teradataordbms 9001:tor-orport
464:kpasswd5 497:retrospect 1935:rtmp 2003:finger 6666:irc 6543:mythtv 24:priv-mail 1352:lotusnotes
3269:globalcatLDAPssl 1111:lmsocialserver 407:timbuktu 500:isakmp 20:ftp-data 2006:invokator
1034:zincite-a 1218:aeroflight-ads 3260:iscsi 15000:hydap 4444:krb524 264:bgmp 33:dsp 2004:mailbox
1042:afrog 42510:caerpc 999:garcon 3052:powerchute 1023:netvenuechat 222:rsh-spx 1068:instl_bootc
888:accessbuilder 7100:font-service 563:snews 1717:fj-hdnet 992:telnets 2008:conf
32770:sometimes-rpc3 7001:afs3-callback 32772:sometimes-rpc7 2007:dectalk 8082:blackice-alerts
5550:sdadmind 512:exec 1043:boinc 2009:news 5801:vnc-http-1 1700:mps-raft 2701:sms-rcinfo
7019:doceri-ctl 50001:unknown 4662:edonkey 2065:dlsrpn 42:nameserver 2010:search 161:snmp 2602:ripd
3333:dec-notes 9535:man 5100:admd 2604:ospfd 4002:mlchat-proxy 5002:rfe 1047:neod1 1051:optima-vnet
1052:ddt 1055:ansyslmd 1060:polestar 1062:veracity 1311:rxmon 2702:sms-xfer 3283:netassistant
4443:pharos 5225:hp-server 5226:hp-status 6059:X11:59 6789:ibm-db2-admin 8089:unknown 8192:sophos
8193:sophos 8194:sophos 8651:unknown 8652:unknown 8701:unknown 9415:unknown 9593:cba8 9594:msgsys
9595:pds 16992:amt-soap-http 16993:amt-soap-https 20828:unknown 23502:unknown 32769:filenet-rpc
33354:unknown 35500:unknown 52869:unknown 55555:unknown 55600:unknown 64623:unknown 64680:unknown
65000:unknown 65389:unknown 1067:instl_boots 13782:netbackup 366:odmr 5902:vnc-2 9050:tor-socks
85:mit-ml-dev 1002:windows-icfw 5500:hotline 1863:msnp 1864:paradym-31 5431:park-agent 8085:unknown
10243:unknown 45100:unknown 49999:unknown 51103:unknown 49:tacacs 90:dnsix 6667:irc 1503:imtc-mcs
6881:bittorrent-tracker 27000:flexlm0 340:unknown 1500:vlsi-lm 8021:ftp-proxy 2222:EtherNetIP-1
5566:westec-connect 8088:radan-http 8899:ospf-lite 9071:unknown 1501:sas-3 5102:admeng 6005:X11:5
9101:jetdirect 9876:sd 32773:sometimes-rpc9 32774:sometimes-rpc11 163:cmip-man 5679:activesync
146:iso-tp0 648:rrp 1666:netview-aix-6 901:samba-swat 83:mit-ml-dev 3476:nppmp 5004:avt-profile-1
5214:unknown 8001:vcom-tunnel 8083:us-srv 8084:websnp 9207:wap-vcal-s 14238:unknown 30:unknown
912:apex-mesh 12345:netbus 2030:device2 2605:bgpd 6:unknown 541:uucp-rlogin 4:unknown 1248:hermes
3005:deslogin 8007:ajp12 306:unknown 880:unknown 2500:rtsserv 1086:cplscrambler-lg
1088:cplscrambler-al 1097:sunclustermgr 2525:ms-v-worlds 4242:vrml-multi-use 8291:unknown
9009:pichat 52822:unknown 900:omginitialrefs 6101:backupexec 2809:corbaloc 7200:fodms 211:914c-g
800:mdbs_daemon 987:unknown 1083:ansoft-lm-1 12000:cce4x 32775:sometimes-rpc13 705:agentx
711:cisco-tdp 20005:btx 6969:acmsoda 13783:netbackup 1045:fpitp 1046:wfremotertm 1057:startron
1061:kiosk 1063:kyoceranetdev 1070:gmrupdateserv 1072:cardax 1073:bridgecontrol 1075:rdrmshc
1077:imgames 1078:avocent-proxy 1079:asprovatalk 1081:pvuniwien 1082:amt-esd-prot 1085:webobjects
1093:proofd 1094:rootd 1096:cnrprotocol 1098:rmiactivation 1099:rmiregistry 1100:mctp 1104:xrl
1106:isoipsigport-1 1107:isoipsigport-2 1108:ratio-adp 1148:elfiq-repl 1169:tripwire
1272:cspmlockmgr 1310:husky 1687:nsjtp-ctrl 1718:h323gatedisc 1783:unknown 1840:netopia-vo2
1947:sentinelsrm 2100:amiganetfs 2119:gsigatekeeper 2135:gris 2144:lv-ffx 2160:apc-2160
2190:tivoconnect 2260:apc-2260 2381:compaq-https 2399:fmpro-fdal 2492:groove 2607:connection
2718:pn-requester2 2811:gsiftp 2875:dxmessagebase2 3017:event_listener 3031:eppc 3071:csd-mgmt-port
3211:avsecuremgmt 3300:ceph 3301:tarantool 3323:active-net 3325:active-net 3351:btrieve
3367:satvid-datalnk 3404:unknown 3551:apcupsd 3580:nati-svrloc 3659:apple-sasl 3766:sitewatch-s
3784:bfd-control 3801:ibm-mgr 3827:netmpi 3998:dnx 4003:pxc-splr-ft 4126:ddrepl 4129:nuauth
4449:privatewire 5030:surfpass 5222:xmpp-client 5269:xmpp-server 5414:statusd 5633:beorl 5718:dpm
5810:unknown 5825:unknown 5877:unknown 5910:cm 5911:cpdlc 5925:unknown 5959:unknown 5960:unknown
5961:unknown 5962:unknown 5985:wsman 5986:wsmans 5987:wbem-rmi 5988:wbem-http 5989:wbem-https
6123:backup-express 6129:unknown 6156:unknown 6389:clariion-evr01 6580:parsec-master 6788:smc-http
6901:jetstream 7106:unknown 7625:unknown 7627:soap-http 7741:scriptview 7777:cbt 7778:interwise
7911:unknown 8086:d-s-n 8087:simplifymedia 8181:intermapper 8222:unknown 8333:bitcoin 8400:cvd
8402:abarsd 8600:asterix 8649:unknown 8873:dxspider 8994:unknown 9002:dynamid 9010:sdr 9011:d-star
9080:glrpc 9220:unknown 9290:unknown 9485:unknown 9500:ismserver 9502:unknown 9503:unknown
9618:condor 9900:iua 9968:unknown 10002:documentum 10012:unknown 10024:unknown 10025:unknown
10566:unknown 10616:unknown 10617:unknown 10621:unknown 10626:unknown 10628:unknown 10629:unknown
11110:sgi-soap 11967:sysinfo-sp 13456:unknown 14000:scotty-ft 14442:unknown 15002:onep-tls
15003:unknown 15660:bex-xr 16001:fmsascon 16016:unknown 16018:unknown 17988:unknown 19101:unknown
19801:unknown 19842:unknown 20000:dnp 20031:unknown 20221:unknown 20222:ipulse-ics 21571:unknown
22939:unknown 24800:unknown 25734:unknown 27715:unknown 28201:unknown 30000:ndmps 30718:unknown
31038:unknown 32781:unknown 32782:unknown 33899:unknown 34571:unknown 34572:unknown 34573:unknown
40193:unknown 48080:unknown 49158:unknown 49159:unknown 49160:unknown 50003:unknown 50006:unknown
50800:unknown 57294:unknown 58080:unknown 60020:unknown 63331:unknown 65129:unknown 89:su-mit-tg
691:resvc 212:anet 1001:webpush 1999:tcp-id-port 2020:xinupageserver 32776:sometimes-rpc15
2998:iss-realsec 6003:X11:3 7002:afs3-prserver 50002:iiimsf 32:unknown 898:sun-manageconsole
2033:glogger 3372:msdtc 5510:secureidprop 99:metagram 425:icad-el 749:kerberos-adm 5903:vnc-3
43:whois 458:appleqtc 5405:pcduo 6106:isdninfo 6502:netop-rc 7007:afs3-bos 13722:netbackup
1087:cplscrambler-in 1089:ff-annunc 1124:hpvmmcontrol 1152:winpoplanmess 1183:llsurfup-http
1186:mysql-cluster 1247:visionpyramid 1296:dproxy 1334:writesrv 1580:tn-tl-r1 1782:hp-hcip
2126:pktcable-cops 2179:vmrdp 2191:tvbus 2251:dif-port 2522:windb 3011:trusted-web 3030:arepa-cas
3077:orbix-loc-ssl 3261:winshadow 3369:satvid-datalnk 3370:satvid-datalnk 3371:satvid-datalnk
3493:nut 3546:unknown 3737:xpanel 3828:neteh 3851:spectraport 3871:avocent-adsap 3880:igrs
3918:pktcablemmcops 3995:iss-mgmt-ssl 4006:pxc-spvr 4111:xgrid 4446:n1-fwp 5054:rlm-admin
5200:targus-getdata 5280:xmpp-bosh 5298:presence 5822:unknown 5859:wherehoo 5904:ag-swim
5915:unknown 5922:unknown 5963:indy 7103:unknown 7402:rtps-dd-mt 7435:unknown 7443:oracleas-https
7512:unknown 8011:unknown 8090:opsmessaging 8100:xprint-server 8180:unknown 8254:unknown 8500:fmtp
8654:unknown 9091:xmltec-xmlmail 9110:unknown 9666:zoomcp 9877:x510 9943:unknown 9944:unknown
9998:distinct32 10004:emcrmirccd 10778:unknown 15742:unknown 16012:unknown 18988:unknown
19283:keysrvr 19315:keyshadow 19780:unknown 24444:unknown 27352:unknown 27353:unknown 27355:unknown
32784:unknown 49163:unknown 49165:unknown 49175:unknown 50389:unknown 50636:unknown 51493:unknown
55055:unknown 56738:unknown 61532:unknown 61900:unknown 62078:iphone-sync 1021:exp1 9040:tor-trans
32777:sometimes-rpc17 32779:sometimes-rpc21 616:sco-sysmgr 666:doom 700:epp 2021:servexec
32778:sometimes-rpc19 84:ctf 545:ekshell 1112:msql 1524:ingreslock 2040:lam 4321:rwhois
5802:vnc-http-2 38292:landesk-cba 49400:compaqdiag 1084:ansoft-lm-2 1600:issd 2048:dls-monitor
2111:kx 3006:deslogind 32780:sometimes-rpc23 2638:sybase 6547:powerchuteplus 6699:napster
9111:DragonIDSConsole 16080:osxwebadmin 555:dsf 667:disclose 720:unknown 801:device 1443:ies-lm
1533:virtual-places 2034:scoremgr 2106:ekshell 5560:isqlplus 6007:X11:7 1090:ff-fms 1091:ff-sm
1114:mini-sql 1117:ardus-mtrns 1119:bnetgame 1122:availant-mgr 1131:caspssl 1138:encrypted_admin
1151:unizensus 1175:dossier 1199:dmidi 1201:nucleus-sand 1271:excw 1862:mysql-cm-agent 2323:3d-nfsd
2393:ms-olap1 2394:ms-olap2 2608:wag-service 2725:msolap-ptp2 2909:funk-dialout 3003:cgms
3168:poweronnud 3221:xnm-clear-text 3322:active-net 3324:active-net 3390:dsc 3517:802-11-iapp
3527:beserver-msg-q 3800:pwgpsi 3809:apocd 3814:neto-dcs 3826:wormux 3869:ovsam-mgmt 3878:fotogcad
3889:dandv-tester 3905:mupdate 3914:listcrt-port-2 3920:exasoftport1 3945:emcads 3971:lanrevserver
4004:pxc-roid 4005:pxc-pin 4279:vrml-multi-use 4445:upnotifyp 4550:gds-adppiw-db 4567:tram
4848:appserv-http 4900:hfcs 5033:jtnetd-server 5061:sip-tls 5080:onscreen 5087:biotic 5221:3exmp
5440:unknown 5544:unknown 5678:rrac 5730:unieng 5811:unknown 5815:unknown 5850:unknown 5862:unknown
5906:rpas-c2 5907:dsd 5950:unknown 5952:unknown 6025:x11 6100:synchronet-db 6510:mcer-port
6565:unknown 6566:sane-port 6567:esp 6689:tsa 6692:unknown 6779:unknown 6792:unknown 6839:unknown
7025:vmsvc-2 7496:unknown 7676:imqbrokerd 7800:asr 7920:unknown 7921:unknown 7999:irdmi2
8022:oa-system 8042:fs-agent 8045:unknown 8093:unknown 8099:unknown 8200:trivnet1 8290:unknown
8292:blp3 8300:tmi 8383:m2mservices 8800:sunwebadmin 9003:unknown 9081:cisco-aqos 9099:unknown
9200:wap-wsp 9418:git 9575:unknown 9878:kca-service 9898:monkeycom 9917:unknown 10003:documentum_s
10009:swdtp-sv 10180:unknown 10215:unknown 11111:vce 12174:unknown 12265:unknown 14441:unknown
15004:unknown 16000:fmsas 16113:unknown 17877:unknown 18040:unknown 18101:unknown 19350:unknown
25735:unknown 26214:unknown 27356:unknown 30951:unknown 32783:unknown 32785:unknown 40911:unknown
41511:unknown 44176:unknown 44501:unknown 49161:unknown 49167:unknown 49176:unknown 50300:unknown
50500:unknown 52673:unknown 52848:unknown 54045:unknown 54328:unknown 55056:unknown 56737:unknown
57797:unknown 60443:unknown 70:gopher 417:onmux 617:sco-dtmgr 714:iris-xpcs 722:unknown
777:multiling-http 981:unknown 1009:unknown 2022:down 4224:xtell 4998:maybe-veritas 6346:gnutella
301:unknown 524:ncp 668:mecomm 765:webster 1076:sns_credit 2041:interbase 5999:ncd-conf
10082:amandaidx 259:esro-gen 416:silverplatter 1007:unknown 1417:timbuktu-srv1 1434:ms-sql-m
1984:bigbrother 2038:objectmanager 2068:avocentkvm 4343:unicall 6009:X11:9 7004:afs3-kaserver
44443:coldfusion-auth 109:pop2 687:asipregistry 726:unknown 911:xact-backup 1010:surf
1461:ibm_wrless_lan 2035:imsldoc 2046:sdfunc 4125:rww 6006:X11:6 7201:dlip 9103:jetdirect
125:locus-map 481:dvs 683:corba-iiop 903:iss-console-mgr 1011:unknown 1455:esl-lm 2013:raid-am
2043:isis-bcast 2047:dls 6668:irc 6669:irc 256:fw1-secureremote 406:imsp 783:spamassassin
843:unknown 2042:isis 2045:cdfunc 5998:ncd-diag 9929:nping-echo 31337:Elite 44442:coldfusion-auth
1092:obrpd 1095:nicelink 1102:adobeserver-1 1105:ftranhc 1113:ltp-deepspace 1121:rmpp 1123:murray
1126:hpvmmdata 1130:casp 1132:kvm-via-ip 1137:trim 1141:mxomss 1145:x9-icue 1147:capioverlan
1149:bvtsonar 1154:resacommunity 1163:sddp 1164:qsm-proxy 1165:qsm-gui 1166:qsm-remote
1174:fnet-remote-ui 1185:catchpole 1187:alias 1192:caids-sensor 1198:cajo-discovery 1213:mpc-lifenet
1216:etebac5 1217:hpss-ndapi 1233:univ-appserver 1236:bvcontrol 1244:isbconference1
1259:opennl-voice 1277:miva-mqs 1287:routematch 1300:h323hostcallsc 1301:ci3-software-1
1309:jtag-server 1322:novation 1328:ewall 1556:veritas_pbx 1583:simbaexpress 1594:sixtrak
1641:invision 1658:sixnetudr 1688:nsjtp-data 1719:h323gatestat 1721:caicci 1805:enl-name 1812:radius
1839:netopia-vo1 1875:westell-stats 1914:elm-momentum 1971:netop-school 1972:intersys-cache 1974:drp
2099:h2250-annex-g 2170:eyetv 2196:unknown 2200:ici 2288:netml 2366:qip-login 2382:ms-olap3
2557:nicetec-mgmt 2710:sso-service 2800:acc-raid 2910:tdaccess 2920:roboeda 2968:enpp
`;

/** The top 1000 TCP ports, most frequent first, with their nmap-services names. */
export const TOP_TCP_PORTS: readonly { port: number; name: string }[] = TOP_TCP.trim()
  .split(/\s+/)
  .map((e) => {
    const [port, name] = e.split(':');
    return { port: Number(port), name };
  });
