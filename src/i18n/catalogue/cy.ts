// Y catalog negeseuon Cymraeg (the Welsh message catalogue): the same keys as en.ts, checked by the
// type below and by tests/i18n/catalogue.test.ts. Wording follows the GOV.UK Welsh style
// ("Mae problem wedi codi", 10:30yb / 2:30yh).
import type { Catalogue } from './en.js'
import { adminCy } from './admin.cy.js'
import { volunteerCy } from './volunteer.cy.js'
import { emailCy } from './email.cy.js'
import { calendarCy } from './calendar.cy.js'
import { coordinatorCy } from './coordinator.cy.js'

export const cy: Catalogue = {
  common: {
    serviceName: 'Champion Rota',
    pageTitle: '{{title}} – Champion Rota',
    skipLink: 'Neidio i’r prif gynnwys',
    success: 'Llwyddiant',
    errorPrefix: 'Gwall:',
    errorTitle: 'Gwall: {{title}}',
    errorSummaryTitle: 'Mae problem wedi codi',
    menu: 'Dewislen',
    notTranslated: 'Nid yw’r dudalen hon ar gael yn Gymraeg eto.',
    header: {
      signedInAs: 'Wedi mewngofnodi fel <0>{{name}}</0>',
      signOut: 'Allgofnodi',
      signIn: 'Mewngofnodi',
      languages: 'Iaith',
    },
    footer: {
      heading: 'Dolenni cymorth',
      privacy: 'Preifatrwydd',
      accessibility: 'Hygyrchedd',
      apply: 'Gwneud cais i wirfoddoli',
      devMailbox: 'Blwch post datblygu',
      note: 'Mae Champion Rota yn helpu llyfrgelloedd i gynnal sesiynau cymorth digidol am ddim gyda hyrwyddwyr digidol gwirfoddol.',
    },
    nav: {
      dashboard: 'Dangosfwrdd',
      findSessions: 'Dod o hyd i sesiynau',
      mySessions: 'Fy sesiynau',
      calendar: 'Eich calendr',
      profile: 'Eich proffil',
      branches: 'Canghennau',
      gaps: 'Bylchau',
      sessions: 'Sesiynau',
      autofill: 'Llenwi’n awtomatig',
      volunteers: 'Gwirfoddolwyr',
      reports: 'Adroddiadau',
      network: 'Ffigurau’r rhwydwaith',
      admin: 'Gweinyddu',
    },
  },
  time: {
    am: 'yb',
    pm: 'yh',
    range: '{{start}} i {{end}}',
    instant: '{{date}} am {{time}}',
  },
  home: {
    heading: 'Helpwch bobl i fynd ar-lein yn eich llyfrgell',
    lead: 'Champion Rota yw’r ffordd y mae hyrwyddwyr digidol gwirfoddol a staff llyfrgelloedd yn trefnu sesiynau cymorth digidol am ddim.',
    intro:
      'Mae pobl yn dod i’w llyfrgell am help gyda ffôn clyfar, ffurflen ar-lein, Ap GIG, galwad fideo i’r teulu, cyfrif Credyd Cynhwysol neu adnabod sgamiau. Hyrwyddwyr digidol yw’r gwirfoddolwyr sy’n eu helpu.',
    whatHeading: 'Beth allwch chi ei wneud yma',
    whatVolunteers: 'mae gwirfoddolwyr yn dewis y sesiynau y gallan nhw helpu ynddyn nhw, ac yn cael gwahoddiadau calendr a nodiadau atgoffa',
    whatCoordinators: 'mae cydlynwyr llyfrgelloedd yn gweld pa sesiynau sydd angen pobl o hyd, ac yn llenwi’r bylchau',
    whatHours: 'mae gwirfoddolwyr yn gweld y sesiynau y maen nhw wedi helpu ynddyn nhw a’r oriau y maen nhw wedi’u rhoi',
    toDashboard: 'Ewch i’ch dangosfwrdd',
    signIn: 'Mewngofnodi',
    newHeading: 'Yn newydd i wirfoddoli?',
    newBody: 'Does dim rhaid i chi fod yn arbenigwr, dim ond yn amyneddgar ac yn hapus i ddefnyddio technoleg bob dydd. <0>Gwnewch gais i fod yn hyrwyddwr digidol</0>.',
  },
  accessibility: {
    title: 'Datganiad hygyrchedd',
    intro: 'Rydym am i gynifer o bobl â phosibl allu defnyddio Champion Rota. Dylech allu:',
    zoom: 'chwyddo hyd at 400% heb i’r testun lifo oddi ar y sgrin',
    phone: 'defnyddio pob tudalen ar ffôn bach, 320 picsel o led',
    keyboard: 'symud o gwmpas gan ddefnyddio bysellfwrdd neu ddarllenydd sgrin yn unig',
    noScript: 'defnyddio pob tudalen gyda JavaScript wedi’i ddiffodd',
    standard: 'Ein nod yw bodloni Canllawiau Hygyrchedd Cynnwys y We (WCAG) 2.2 ar lefel AA, ac rydym yn profi pob tudalen gyda gwiriadau awtomatig.',
    problemHeading: 'Os nad yw rhywbeth yn gweithio i chi',
    problemBody: 'Dywedwch wrth y cydlynydd yn eich llyfrgell. Bydd yn rhoi gwybod i ni ac yn eich helpu yn y cyfamser.',
  },
  auth: {
    signIn: {
      title: 'Mewngofnodi',
      body: 'Byddwn yn anfon dolen atoch drwy e-bost i chi fewngofnodi. Does dim angen cyfrinair arnoch.',
      emailLabel: 'Cyfeiriad e-bost',
      button: 'Anfon dolen mewngofnodi ataf',
      errorEmpty: 'Rhowch eich cyfeiriad e-bost',
      errorFormat: 'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
      notYet: 'Ddim yn wirfoddolwr eto? <0>Gwnewch gais i fod yn hyrwyddwr digidol</0>.',
    },
    checkEmail: {
      title: 'Edrychwch ar eich e-bost',
      sentTo: 'Os yw <0>{{email}}</0> yn perthyn i gyfrif Champion Rota, rydym wedi anfon dolen mewngofnodi ato.',
      sent: 'Os yw’r cyfeiriad a roesoch yn perthyn i gyfrif Champion Rota, rydym wedi anfon dolen mewngofnodi ato.',
      once: 'Mae’r ddolen yn gweithio unwaith, ac yn peidio â gweithio ar ôl 10 munud.',
      notThere: 'Heb gyrraedd ar ôl ychydig funudau? Edrychwch yn eich ffolder sbam neu sothach, neu <0>gofynnwch am ddolen newydd</0>.',
    },
    confirm: {
      title: 'Cadarnhewch eich bod am fewngofnodi',
      heading: 'Mewngofnodi i Champion Rota',
      body: 'Dewiswch y botwm i orffen mewngofnodi ar y ddyfais hon.',
      button: 'Mewngofnodi',
    },
    linkExpired: {
      title: 'Mae’r ddolen fewngofnodi hon wedi dod i ben neu wedi’i defnyddio',
      body: 'Mae dolenni mewngofnodi’n gweithio unwaith, a dim ond am 10 munud.',
      again: 'Gofyn am ddolen fewngofnodi newydd',
    },
  },
  email: emailCy,
  calendar: calendarCy,
  coordinator: coordinatorCy,
  errors: {
    toHome: 'Ewch i’r hafan',
    notFound: {
      title: 'Heb ddod o hyd i’r dudalen',
      message: 'Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch ei gludo, gwiriwch eich bod wedi copïo’r cyfan.',
    },
  },
  admin: adminCy,
  volunteer: volunteerCy,
}
